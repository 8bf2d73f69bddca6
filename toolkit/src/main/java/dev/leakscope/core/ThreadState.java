package dev.leakscope.core;

/**
 * One thread of the core, from its NT_PRSTATUS note.
 *
 * @param index     0-based position (the kernel writes the thread that dumped first)
 * @param tid       pr_pid: the thread id
 * @param signal    pr_cursig: the signal being delivered (0 in gcore's cores)
 * @param ppid      pr_ppid
 * @param pgrp      pr_pgrp
 * @param sid       pr_sid
 * @param machine   the register layout
 * @param registers pr_reg values in {@link Machine#registers()} order (empty for an unknown machine)
 * @param noteOffset file offset of the NT_PRSTATUS note
 */
public record ThreadState(int index, int tid, int signal, int ppid, int pgrp, int sid, Machine machine,
                          long[] registers, long noteOffset) {

    /** The program counter (rip, pc), or 0 when unknown. */
    public long pc() {
        return reg(machine.pcIndex());
    }

    /** The stack pointer (rsp, sp), or 0 when unknown. */
    public long sp() {
        return reg(machine.spIndex());
    }

    /** The frame pointer (rbp, x29), or 0 when unknown. */
    public long fp() {
        return reg(machine.fpIndex());
    }

    /** The register named {@code name} ({@code rip}, {@code x0}…). */
    public long register(String name) {
        int i = machine.registers().indexOf(name);
        if (i < 0 || i >= registers.length) {
            throw new IllegalArgumentException("no register " + name + " on " + machine.displayName());
        }
        return registers[i];
    }

    private long reg(int i) {
        return i >= 0 && i < registers.length ? registers[i] : 0;
    }
}
