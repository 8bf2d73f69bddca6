package dev.leakscope.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ELF64 core files by the spec (System V gABI + Linux core notes) for what real cores on this
 * machine cannot give: other architectures (AArch64), and damaged headers. Every field is set explicitly.
 */
final class SyntheticCore {

    record Load(long vaddr, byte[] data, long memSize, int flags) {
    }

    record RawNote(String name, int type, byte[] desc) {
    }

    int elfClass = 2;
    int elfData = 1;
    int type = 4;
    int machine = 62;
    final List<Load> loads = new ArrayList<>();
    final List<RawNote> notes = new ArrayList<>();
    /** When set, the PT_NOTE header claims this many bytes instead of the real size. */
    long noteSizeOverride = -1;
    /** When set, e_phnum is PN_XNUM (0xffff) and the real count is in section header 0's sh_info. */
    boolean pnXnum;
    /** When set, the first PT_LOAD's p_offset is replaced by this. */
    long firstLoadOffsetOverride = -1;

    SyntheticCore load(long vaddr, byte[] data, long memSize, int flags) {
        loads.add(new Load(vaddr, data, memSize, flags));
        return this;
    }

    SyntheticCore note(String name, int type, byte[] desc) {
        notes.add(new RawNote(name, type, desc));
        return this;
    }

    static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] noteBytes(List<RawNote> notes) {
        int size = 0;
        for (RawNote n : notes) {
            size += 12 + pad(n.name().length() + 1) + pad(n.desc().length);
        }
        ByteBuffer b = le(size);
        for (RawNote n : notes) {
            int start = b.position();
            b.putInt(n.name().length() + 1).putInt(n.desc().length).putInt(n.type());
            b.put(n.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 0);
            b.position(start + 12 + pad(n.name().length() + 1));
            b.put(n.desc());
            b.position(start + 12 + pad(n.name().length() + 1) + pad(n.desc().length));
        }
        return b.array();
    }

    static int pad(int n) {
        return (n + 3) & ~3;
    }

    /** The bytes of the whole core. */
    byte[] bytes() {
        byte[] nb = noteBytes(notes);
        int phnum = 1 + loads.size();
        long phoff = 64;
        long noteOff = phoff + 56L * phnum;
        long dataOff = (noteOff + nb.length + 4095) & ~4095L;
        long total = dataOff;
        for (Load l : loads) {
            total += l.data().length;
        }
        long shoff = total;
        if (pnXnum) {
            total += 64;
        }
        ByteBuffer b = le((int) total);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) elfClass, (byte) elfData, 1, 0});
        b.position(16);
        b.putShort((short) type).putShort((short) machine).putInt(1).putLong(0).putLong(phoff).putLong(0)
                .putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) phnum).putShort((short) 64)
                .putShort((short) 0).putShort((short) 0);
        b.position((int) phoff);
        b.putInt(4).putInt(0).putLong(noteOff).putLong(0).putLong(0)
                .putLong(noteSizeOverride >= 0 ? noteSizeOverride : nb.length).putLong(0).putLong(4);
        long off = dataOff;
        boolean first = true;
        for (Load l : loads) {
            long o = first && firstLoadOffsetOverride >= 0 ? firstLoadOffsetOverride : off;
            first = false;
            b.putInt(1).putInt(l.flags()).putLong(o).putLong(l.vaddr()).putLong(0).putLong(l.data().length)
                    .putLong(l.memSize()).putLong(4096);
            off += l.data().length;
        }
        b.position((int) noteOff);
        b.put(nb);
        b.position((int) dataOff);
        for (Load l : loads) {
            b.put(l.data());
        }
        if (pnXnum) {
            b.putShort(56, (short) 0xffff).putLong(40, shoff).putShort(58, (short) 64).putShort(60, (short) 1);
            b.putInt((int) shoff + 44, phnum); // sh_info of section 0
        }
        return b.array();
    }

    Path write(Path p) throws IOException {
        Files.write(p, bytes());
        return p;
    }

    /** An NT_PRSTATUS descriptor: pid, cursig and registers written at pr_reg (offset 112). */
    static byte[] prstatus(int size, int pid, int ppid, int cursig, long[] regs) {
        ByteBuffer b = le(size);
        b.putInt(0, cursig).putShort(12, (short) cursig).putInt(32, pid).putInt(36, ppid).putInt(40, pid)
                .putInt(44, pid);
        for (int i = 0; i < regs.length; i++) {
            b.putLong(112 + 8 * i, regs[i]);
        }
        return b.array();
    }

    /** An NT_PRPSINFO descriptor (136 bytes). */
    static byte[] prpsinfo(int pid, int ppid, int uid, String fname, String args) {
        ByteBuffer b = le(136);
        b.put(1, (byte) 'R').putInt(16, uid).putInt(20, uid).putInt(24, pid).putInt(28, ppid).putInt(32, pid)
                .putInt(36, pid);
        byte[] f = fname.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        b.put(40, f, 0, Math.min(15, f.length));
        byte[] a = args.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        b.put(56, a, 0, Math.min(79, a.length));
        return b.array();
    }
}
