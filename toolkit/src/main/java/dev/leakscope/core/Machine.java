package dev.leakscope.core;

import java.util.List;

/**
 * The CPU a core was written on (ELF e_machine) and the layout of its general registers in NT_PRSTATUS
 * ({@code pr_reg} at offset 112 of the descriptor, one u64 per register).
 */
public enum Machine {
    /** x86-64 (e_machine 62): the kernel's {@code struct user_regs_struct} order. */
    X86_64(62, "x86-64", List.of("r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx",
            "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es",
            "fs", "gs"), "rip", "rsp", "rbp"),
    /** AArch64 (e_machine 183): {@code struct user_pt_regs}: x0..x30, sp, pc, pstate. */
    AARCH64(183, "aarch64", List.of("x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
            "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27",
            "x28", "x29", "x30", "sp", "pc", "pstate"), "pc", "sp", "x29"),
    /** Any other machine: no register layout is known; threads still list tid and signal. */
    OTHER(-1, "unknown", List.of(), null, null, null);

    /** Offset of {@code pr_reg} in an NT_PRSTATUS descriptor on 64-bit Linux. */
    public static final int PR_REG_OFFSET = 112;

    private final int elfMachine;
    private final String displayName;
    private final List<String> registers;
    private final int pc;
    private final int sp;
    private final int fp;

    Machine(int elfMachine, String displayName, List<String> registers, String pc, String sp, String fp) {
        this.elfMachine = elfMachine;
        this.displayName = displayName;
        this.registers = registers;
        this.pc = pc == null ? -1 : registers.indexOf(pc);
        this.sp = sp == null ? -1 : registers.indexOf(sp);
        this.fp = fp == null ? -1 : registers.indexOf(fp);
    }

    /** The machine for ELF e_machine {@code m}, {@link #OTHER} when unknown. */
    public static Machine of(int m) {
        for (Machine x : values()) {
            if (x.elfMachine == m) {
                return x;
            }
        }
        return OTHER;
    }

    /** ELF e_machine value (-1 for OTHER). */
    public int elfMachine() {
        return elfMachine;
    }

    /** Name as users know it: {@code x86-64}, {@code aarch64}. */
    public String displayName() {
        return displayName;
    }

    /** Register names in pr_reg order. */
    public List<String> registers() {
        return registers;
    }

    /** Index of the program counter in {@link #registers()}, -1 when unknown. */
    public int pcIndex() {
        return pc;
    }

    /** Index of the stack pointer, -1 when unknown. */
    public int spIndex() {
        return sp;
    }

    /** Index of the frame pointer (rbp, x29), -1 when unknown. */
    public int fpIndex() {
        return fp;
    }
}
