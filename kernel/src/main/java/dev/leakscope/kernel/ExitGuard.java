package dev.leakscope.kernel;

import java.security.Permission;
import java.util.logging.Logger;

/**
 * Keeps {@code System.exit} in a cell from silently killing the kernel: the call throws
 * {@link ExitBlockedException} in the cell instead, which the kernel shows as a clear error.
 * Uses a SecurityManager whose only check is {@code checkExit} (JDK 17; needs
 * {@code -Djava.security.manager=allow} from JDK 18 on; JDK 24+ has none, and a warning is logged).
 */
final class ExitGuard extends SecurityManager {

    private static final Logger LOG = Logger.getLogger(ExitGuard.class.getName());
    private static volatile boolean installed;

    /** Thrown into the cell that called {@code System.exit(status)}. */
    static final class ExitBlockedException extends SecurityException {
        private final int status;

        ExitBlockedException(String call, int status) {
            super(call + "(" + status + ") was called in the cell; the kernel keeps running "
                    + "(restart the kernel to start over)");
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private ExitGuard() {
    }

    /** Installs the guard once; returns whether {@code System.exit} in cells is now refused. */
    @SuppressWarnings("removal")
    static synchronized boolean install() {
        if (installed) {
            return true;
        }
        try {
            System.setSecurityManager(new ExitGuard());
            installed = true;
        } catch (UnsupportedOperationException | SecurityException e) {
            LOG.warning("cannot guard System.exit on this JVM (" + Runtime.version() + "): " + e.getMessage()
                    + "; a cell calling System.exit ends the kernel");
        }
        return installed;
    }

    @Override
    public void checkExit(int status) {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        for (; g != null; g = g.getParent()) {
            if (g == CellExecutionControl.CELLS) {
                throw new ExitBlockedException("System.exit", status);
            }
        }
    }

    @Override
    public void checkPermission(Permission perm) {
        // everything else is allowed: this is not a sandbox
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
    }
}
