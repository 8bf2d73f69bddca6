package dev.leakscope.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs JShell snippets in this JVM (so results are live objects, not strings) on a fresh thread per snippet
 * (so a running cell can be stopped without stopping the kernel).
 *
 * <p>Why not JShell's own engines: the remote agent (JShell's default) returns only {@code toString()}s;
 * {@code DirectExecutionControl} (IJava/JJava) runs on the caller's thread, where {@code while(true){}}
 * cannot be stopped; {@code LocalExecutionControl} joins every thread the cell started and returns
 * strings. Here: {@link #invoke(Method)} parks the result object under a key that JShell passes back as the
 * snippet's "value", and {@link #stop()} makes the cell's own loops throw at their next iteration (cell classes are
 * rewritten by {@link SnippetBytecode} as they load), interrupts the cell thread (toolkit work sees it through
 * {@code Progress.checkCancelled()}) and, if it still runs after a grace period (stuck in library code that
 * ignores interruption), {@code Thread.stop()}s it (JDK ≤ 19; newer JDKs refuse, and the cell then runs on).
 */
final class CellExecutionControl extends DirectExecutionControl {

    private static final Logger LOG = Logger.getLogger(CellExecutionControl.class.getName());
    static final String KEY_PREFIX = "\u0000leakscope-result-";
    private static final long STOP_GRACE_MILLIS = Long.getLong("leakscope.stopGraceMillis", 1000);

    /** Every cell thread, and threads cells start, live in this group (System.exit is refused there). */
    static final ThreadGroup CELLS = new ThreadGroup("leakscope-cells");

    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile Thread cellThread;
    private volatile boolean stopRequested;
    private volatile boolean cellActive;
    private volatile Throwable lastThrowable;
    private volatile Class<?> lastWrapper;

    @Override
    protected String invoke(Method doit) throws Exception {
        Object[] result = new Object[1];
        Throwable[] thrown = new Throwable[1];
        Thread t = new Thread(CELLS, () -> {
            try {
                result[0] = doit.invoke(null);
            } catch (Throwable e) {
                thrown[0] = e;
            }
        }, "leakscope-cell-" + ids.incrementAndGet());
        t.setContextClassLoader(doit.getDeclaringClass().getClassLoader());
        lastThrowable = null;
        lastWrapper = doit.getDeclaringClass();
        cellThread = t;
        try {
            // stopped while this snippet was compiled (between two snippets of the cell, no cell thread to stop):
            // it does not start. stop() sets the flag before it reads cellThread, this reads it after setting
            // cellThread: one of the two sees the other.
            if (stopRequested) {
                throw new ExecutionControl.StoppedException();
            }
            t.start();
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    stop(); // the evaluating thread was interrupted: stop the cell too
                }
            }
        } finally {
            cellThread = null;
        }
        Throwable e = thrown[0];
        Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
        if (cause instanceof ThreadDeath || cause instanceof CellHooks.CellStopped
                || (stopRequested && (cause instanceof InterruptedException || cause instanceof CancellationException))) {
            throw new ExecutionControl.StoppedException();
        }
        if (e instanceof InvocationTargetException) {
            lastThrowable = cause;
            throw (InvocationTargetException) e;
        }
        if (e instanceof Exception) {
            throw (Exception) e;
        }
        if (e != null) {
            throw new InvocationTargetException(e);
        }
        String key = KEY_PREFIX + ids.incrementAndGet();
        results.put(key, result[0] == null ? NULL : result[0]);
        return key;
    }

    private static final Object NULL = new Object();

    /** A variable's live value, parked like a snippet result (JShell's own varValue returns a string). */
    @Override
    public String varValue(String className, String varName) throws RunException, EngineTerminationException, InternalException {
        try {
            java.lang.reflect.Field field = findClass(className).getDeclaredField(varName);
            field.setAccessible(true);
            Object value = field.get(null);
            String key = KEY_PREFIX + ids.incrementAndGet();
            results.put(key, value == null ? NULL : value);
            return key;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.fine("live value of " + varName + " not readable: " + e);
            return super.varValue(className, varName);
        }
    }

    /**
     * Clears static field {@code name} of the wrapper class the last snippet ran in, so a value JShell kept
     * there (a temporary {@code $N}) no longer holds the object alive once the snippet is dropped.
     */
    void forgetLastValue(String name) {
        Class<?> c = lastWrapper;
        if (c == null) {
            return;
        }
        try {
            java.lang.reflect.Field f = c.getDeclaredField(name);
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()
                    && !java.lang.reflect.Modifier.isFinal(f.getModifiers())) {
                f.setAccessible(true);
                f.set(null, null);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.fine("could not clear " + name + " in " + c.getName() + ": " + e);
        }
    }

    /** The live object behind a snippet value JShell reported; {@code fallback} when it is not one of ours. */
    Object take(String value, Object fallback) {
        if (value == null || !value.startsWith(KEY_PREFIX)) {
            return fallback;
        }
        Object o = results.remove(value);
        return o == NULL ? null : o == null ? fallback : o;
    }

    boolean isKey(String value) {
        return value != null && value.startsWith(KEY_PREFIX);
    }

    /** Forgets every parked result (called after each cell so nothing is retained by the kernel). */
    void clearResults() {
        results.clear();
    }

    /** The exception the last snippet threw, as the live object (causes, suppressed, custom fields). */
    Throwable lastThrowable() {
        return lastThrowable;
    }

    boolean running() {
        return cellThread != null;
    }

    /** Called before a new cell so a stale stop request does not turn its first exception into "stopped". */
    void resetStop() {
        stopRequested = false;
        CellHooks.clearStop();
        cellActive = true;
    }

    /** Called when the cell has ended: from now on {@link #stop()} has nothing to stop. */
    void cellEnded() {
        cellActive = false;
    }

    /** Loads cell classes rewritten by {@link SnippetBytecode} (stop checks, no System.exit). */
    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        ClassBytecodes[] hooked = new ClassBytecodes[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) {
            hooked[i] = new ClassBytecodes(cbcs[i].name(), SnippetBytecode.instrument(cbcs[i].bytecodes()));
        }
        super.load(hooked);
    }

    boolean stopRequested() {
        return stopRequested;
    }

    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void stop() {
        // kept until the next cell starts (resetStop): a stop that comes while the cell's next snippet is compiled,
        // with no snippet thread running, still stops the cell instead of being lost
        if (!cellActive && cellThread == null) {
            return; // no cell: nothing to stop (threads earlier cells started run on)
        }
        stopRequested = true;
        CellHooks.requestStop(); // the cell's own loops throw at their next iteration
        Thread t = cellThread;
        if (t == null) {
            return;
        }
        t.interrupt();
        Thread killer = new Thread(() -> {
            try {
                for (int attempt = 0; attempt < 10 && t.isAlive(); attempt++) {
                    t.join(STOP_GRACE_MILLIS);
                    if (t.isAlive()) {
                        try {
                            t.stop();
                        } catch (UnsupportedOperationException e) {
                            LOG.warning("this JVM (" + Runtime.version() + ") cannot Thread.stop() the cell; "
                                    + "it stops only when its code checks interruption");
                            return;
                        }
                    }
                }
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stopping the cell failed", e);
            }
        }, "leakscope-cell-stopper");
        killer.setDaemon(true);
        killer.start();
    }

    /** Gives JShell this engine; {@link #control()} is the instance the last JShell built. */
    static final class Provider implements ExecutionControlProvider {
        private volatile CellExecutionControl control;

        @Override
        public String name() {
            return "leakscope-cells";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            control = new CellExecutionControl();
            return control;
        }

        CellExecutionControl control() {
            return control;
        }
    }
}
