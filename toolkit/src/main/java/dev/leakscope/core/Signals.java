package dev.leakscope.core;

/** Linux signal numbers to names (x86-64 and AArch64 share them). */
public final class Signals {

    private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
            "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
            "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
            "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    private Signals() {
    }

    /** {@code SIGABRT} for 6; {@code ""} for 0; {@code SIGRTMIN+n} for real-time signals; else {@code SIG<n>}. */
    public static String name(int signo) {
        if (signo == 0) {
            return "";
        }
        if (signo > 0 && signo < NAMES.length) {
            return NAMES[signo];
        }
        if (signo >= 34 && signo <= 64) {
            return "SIGRTMIN+" + (signo - 34);
        }
        return "SIG" + signo;
    }
}
