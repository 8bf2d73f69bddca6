package dev.leakscope.core;

/**
 * NT_SIGINFO: the signal that caused the dump.
 *
 * @param signo   si_signo
 * @param errno   si_errno
 * @param code    si_code (≤ 0: sent by a process, e.g. SI_USER 0, SI_TKILL -6; &gt; 0: a fault)
 * @param senderPid for signals sent by a process: si_pid; else 0
 * @param senderUid for signals sent by a process: si_uid; else 0
 * @param address for faults (SIGSEGV, SIGBUS, SIGILL, SIGFPE): si_addr; else 0
 */
public record SignalInfo(int signo, int errno, int code, int senderPid, int senderUid, long address) {

    /** The signal's name ({@code SIGABRT}…) on Linux, or {@code SIG<n>}. */
    public String name() {
        return Signals.name(signo);
    }
}
