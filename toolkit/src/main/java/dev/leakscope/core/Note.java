package dev.leakscope.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One ELF note record from a PT_NOTE segment: {@code namesz, descsz, type}, the owner name and the descriptor.
 *
 * @param index   0-based position among all notes of the core
 * @param name    owner name without its NUL ("CORE", "LINUX", "GDB"…)
 * @param type    note type (see the {@code NT_*} constants)
 * @param offset  file offset of the note record (its namesz field)
 * @param descOffset file offset of the descriptor
 * @param desc    the descriptor bytes (notes are small; they are copied)
 */
public record Note(int index, String name, int type, long offset, long descOffset, byte[] desc) {

    public static final int NT_PRSTATUS = 1;
    public static final int NT_FPREGSET = 2;
    public static final int NT_PRPSINFO = 3;
    public static final int NT_AUXV = 6;
    public static final int NT_SIGINFO = 0x53494749;
    public static final int NT_FILE = 0x46494c45;
    public static final int NT_X86_XSTATE = 0x202;
    public static final int NT_ARM_TLS = 0x401;
    public static final int NT_ARM_HW_BREAK = 0x402;
    public static final int NT_ARM_PAC_MASK = 0x406;

    /** The descriptor as a little-endian buffer (a fresh view; position 0). */
    public ByteBuffer descBuffer() {
        return ByteBuffer.wrap(desc).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Descriptor size in bytes. */
    public int descSize() {
        return desc.length;
    }

    /** The type's usual name ({@code NT_PRSTATUS}…) as readelf prints it, or {@code 0x…} when unknown. */
    public String typeName() {
        return typeName(name, type);
    }

    /** The usual name of note {@code type} with owner {@code name}. */
    public static String typeName(String name, int type) {
        if ("CORE".equals(name) || "LINUX".equals(name)) {
            switch (type) {
                case NT_PRSTATUS: return "NT_PRSTATUS";
                case NT_FPREGSET: return "NT_FPREGSET";
                case NT_PRPSINFO: return "NT_PRPSINFO";
                case NT_AUXV: return "NT_AUXV";
                case NT_SIGINFO: return "NT_SIGINFO";
                case NT_FILE: return "NT_FILE";
                case NT_X86_XSTATE: return "NT_X86_XSTATE";
                case 0x205: return "NT_X86_XSAVE_LAYOUT";
                case 0x400: return "NT_ARM_VFP";
                case NT_ARM_TLS: return "NT_ARM_TLS";
                case NT_ARM_HW_BREAK: return "NT_ARM_HW_BREAK";
                case 0x403: return "NT_ARM_HW_WATCH";
                case 0x404: return "NT_ARM_SYSTEM_CALL";
                case 0x405: return "NT_ARM_SVE";
                case NT_ARM_PAC_MASK: return "NT_ARM_PAC_MASK";
                default: break;
            }
        }
        return "0x" + Integer.toHexString(type);
    }
}
