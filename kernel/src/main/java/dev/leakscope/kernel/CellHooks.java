package dev.leakscope.kernel;

/**
 * What the bytecode of cells calls after {@link SnippetBytecode} rewrote it: a stop check in every loop, and
 * replacements for the calls that would end the kernel's JVM. Public because cell classes live in JShell's
 * class loader; not part of the user's API.
 */
public final class CellHooks {

    /** How long a thread that was stopped may run cleanup ({@code finally}, closing resources) before it is stopped again. */
    private static final long CLEANUP_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private static volatile boolean stopping;
    private static final java.util.Map<Thread, Long> stoppedAt = new java.util.concurrent.ConcurrentHashMap<>();

    private CellHooks() {
    }

    /** Thrown in a cell's own code when the kernel stops the cell (like {@code ThreadDeath}, an Error). */
    static final class CellStopped extends Error {
        CellStopped() {
            super("the cell was stopped", null, false, false);
        }
    }

    /**
     * Called by rewritten cell code before every backward jump (each loop iteration): once a stop is requested,
     * throws {@link CellStopped} — then lets the thread's cleanup run for a second (a loop in a {@code finally}
     * block, say) before throwing again.
     */
    public static void check() {
        if (stopping) {
            stopHere();
        }
    }

    private static void stopHere() {
        Thread t = Thread.currentThread();
        long now = System.nanoTime();
        Long last = stoppedAt.get(t);
        if (last == null || now - last > CLEANUP_NANOS) {
            stoppedAt.put(t, now);
            throw new CellStopped();
        }
    }

    /** Replaces {@code System.exit(status)} in cell code. */
    public static void exit(int status) {
        throw new ExitGuard.ExitBlockedException("System.exit", status);
    }

    /** Replaces {@code runtime.exit(status)} in cell code. */
    public static void exit(Runtime runtime, int status) {
        throw new ExitGuard.ExitBlockedException("Runtime.exit", status);
    }

    /** Replaces {@code runtime.halt(status)} in cell code. */
    public static void halt(Runtime runtime, int status) {
        throw new ExitGuard.ExitBlockedException("Runtime.halt", status);
    }

    static void requestStop() {
        stopping = true;
    }

    static void clearStop() {
        stopping = false;
        stoppedAt.clear();
    }
}
