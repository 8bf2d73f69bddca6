package dev.leakscope.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the records of a PT_NOTE segment ({@code u32 namesz, u32 descsz, u32 type}, name, desc, each padded
 * to 4 bytes — also in ELF64 cores) and decodes the notes a Linux core carries: NT_PRSTATUS, NT_PRPSINFO,
 * NT_SIGINFO, NT_FILE, NT_AUXV. Decoders throw {@link CoreFormatException} naming the note's file offset when
 * a descriptor is shorter than its structure.
 */
public final class NoteReader {

    private NoteReader() {
    }

    /**
     * Reads every note record in {@code data}, the bytes of a PT_NOTE segment found at file offset {@code base}.
     * A damaged record (sizes running past the segment) stops the reading: the records before it are returned
     * and {@code warnings} receives what was wrong.
     *
     * @param firstIndex index given to the first record (notes are numbered across segments)
     * @param align      record padding: 4, or 8 when the segment's p_align is 8
     */
    public static List<Note> read(Path path, ByteBuffer data, long base, int firstIndex, int align,
                                  Consumer<CoreWarning> warnings) {
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int limit = b.limit();
        int pos = b.position();
        int pad = align == 8 ? 8 : 4;
        List<Note> out = new ArrayList<>();
        while (pos < limit) {
            long recOff = base + pos;
            String structure = "note " + (firstIndex + out.size());
            if (limit - pos < 12) {
                // Trailing padding of zeros is harmless; anything else is a cut record.
                if (!allZero(b, pos, limit)) {
                    warnings.accept(new CoreWarning(recOff, structure, "note header cut: " + (limit - pos)
                            + " bytes left in PT_NOTE, expected 12 (namesz, descsz, type); notes after it are lost"));
                }
                break;
            }
            long namesz = Integer.toUnsignedLong(b.getInt(pos));
            long descsz = Integer.toUnsignedLong(b.getInt(pos + 4));
            int type = b.getInt(pos + 8);
            long nameStart = pos + 12L;
            long descStart = nameStart + roundUp(namesz, pad);
            long next = descStart + roundUp(descsz, pad);
            if (descStart + descsz > limit) {
                warnings.accept(new CoreWarning(recOff, structure, "damaged note: namesz " + namesz + ", descsz "
                        + descsz + " run to 0x" + Long.toHexString(base + descStart + descsz)
                        + " past the end of PT_NOTE at 0x" + Long.toHexString(base + limit)
                        + "; expected a record inside the segment; this and later notes are lost"));
                break;
            }
            int nlen = (int) namesz;
            while (nlen > 0 && b.get((int) nameStart + nlen - 1) == 0) {
                nlen--;
            }
            byte[] nameBytes = new byte[nlen];
            b.get((int) nameStart, nameBytes, 0, nlen);
            byte[] desc = new byte[(int) descsz];
            b.get((int) descStart, desc, 0, desc.length);
            out.add(new Note(firstIndex + out.size(), new String(nameBytes, StandardCharsets.ISO_8859_1), type,
                    recOff, base + descStart, desc));
            pos = (int) Math.min(next, limit);
        }
        return out;
    }

    private static boolean allZero(ByteBuffer b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static long roundUp(long v, int a) {
        return (v + a - 1) & -a;
    }

    /** Decodes an NT_PRSTATUS note of a thread; {@code index} is the thread's position. */
    public static ThreadState prStatus(Path path, Note n, Machine m, int index) {
        need(path, n, 112, "NT_PRSTATUS (signal, pid and times)");
        ByteBuffer b = n.descBuffer();
        int cursig = b.getShort(12);
        int pid = b.getInt(32);
        int ppid = b.getInt(36);
        int pgrp = b.getInt(40);
        int sid = b.getInt(44);
        int nregs = m.registers().size();
        long[] regs = new long[nregs];
        if (nregs > 0) {
            need(path, n, Machine.PR_REG_OFFSET + 8 * nregs, "NT_PRSTATUS with " + nregs + " " + m.displayName()
                    + " registers");
            for (int i = 0; i < nregs; i++) {
                regs[i] = b.getLong(Machine.PR_REG_OFFSET + 8 * i);
            }
        }
        return new ThreadState(index, pid, cursig, ppid, pgrp, sid, m, regs, n.offset());
    }

    /** Decodes NT_PRPSINFO (136 bytes on 64-bit Linux). */
    public static ProcessInfo prPsInfo(Path path, Note n) {
        need(path, n, 136, "NT_PRPSINFO (136-byte elf_prpsinfo)");
        ByteBuffer b = n.descBuffer();
        char sname = (char) (b.get(1) & 0xff);
        int uid = b.getInt(16);
        int gid = b.getInt(20);
        int pid = b.getInt(24);
        int ppid = b.getInt(28);
        int pgrp = b.getInt(32);
        int sid = b.getInt(36);
        String fname = cString(n.desc(), 40, 16);
        String psargs = cString(n.desc(), 56, 80);
        // the kernel copies at most 79 bytes of the command line (ELF_PRARGSZ - 1): a full field was cut there
        boolean cut = psargs.getBytes(StandardCharsets.UTF_8).length >= 79;
        psargs = psargs.stripTrailing() + (cut ? "…" : "");
        return new ProcessInfo(sname == 0 ? '?' : sname, pid, ppid, pgrp, sid, uid, gid, fname, psargs);
    }

    /** Decodes NT_SIGINFO (a 128-byte siginfo_t: signo, errno, code, then the union). */
    public static SignalInfo sigInfo(Path path, Note n) {
        need(path, n, 24, "NT_SIGINFO (siginfo_t)");
        ByteBuffer b = n.descBuffer();
        int signo = b.getInt(0);
        int errno = b.getInt(4);
        int code = b.getInt(8);
        boolean fault = code > 0 && (signo == 4 || signo == 7 || signo == 8 || signo == 11 || signo == 5);
        if (fault) {
            return new SignalInfo(signo, errno, code, 0, 0, b.getLong(16));
        }
        return new SignalInfo(signo, errno, code, b.getInt(16), b.getInt(20), 0);
    }

    /** Decodes NT_FILE: {@code u64 count, u64 pageSize, count × (start, end, pageOffset)}, then count names. */
    public static List<FileMapping> files(Path path, Note n) {
        need(path, n, 16, "NT_FILE (count, page size)");
        ByteBuffer b = n.descBuffer();
        long count = b.getLong(0);
        long pageSize = b.getLong(8);
        long table = 16 + count * 24;
        if (count < 0 || count > (n.descSize() - 16) / 24) {
            throw new CoreFormatException(path, n.offset(), "note " + n.index() + " (NT_FILE)", "count " + count
                    + " entries need " + table + " bytes, descriptor has " + n.descSize());
        }
        List<FileMapping> out = new ArrayList<>((int) count);
        int p = (int) table;
        byte[] d = n.desc();
        for (int i = 0; i < count; i++) {
            int e = p;
            while (e < d.length && d[e] != 0) {
                e++;
            }
            if (e >= d.length && i < count - 1) {
                throw new CoreFormatException(path, n.descOffset() + p, "note " + n.index() + " (NT_FILE)",
                        "name " + i + " of " + count + " runs past the descriptor; expected NUL-terminated names");
            }
            String name = new String(d, p, e - p, StandardCharsets.UTF_8);
            p = e + 1;
            long start = b.getLong(16 + i * 24);
            long end = b.getLong(16 + i * 24 + 8);
            long pgoff = b.getLong(16 + i * 24 + 16);
            out.add(new FileMapping(start, end, pgoff * pageSize, name));
        }
        return out;
    }

    /** Decodes NT_AUXV: (type, value) pairs up to AT_NULL (not included). */
    public static List<AuxvEntry> auxv(Path path, Note n) {
        ByteBuffer b = n.descBuffer();
        List<AuxvEntry> out = new ArrayList<>();
        for (int p = 0; p + 16 <= n.descSize(); p += 16) {
            long t = b.getLong(p);
            if (t == 0) {
                break;
            }
            out.add(new AuxvEntry(t, b.getLong(p + 8)));
        }
        return out;
    }

    private static void need(Path path, Note n, int size, String what) {
        if (n.descSize() < size) {
            throw new CoreFormatException(path, n.offset(), "note " + n.index() + " (" + n.typeName() + ")",
                    "descriptor is " + n.descSize() + " bytes, expected at least " + size + " for " + what);
        }
    }

    static String cString(byte[] d, int off, int max) {
        int e = off;
        int lim = Math.min(d.length, off + max);
        while (e < lim && d[e] != 0) {
            e++;
        }
        return new String(d, off, e - off, StandardCharsets.UTF_8);
    }
}
