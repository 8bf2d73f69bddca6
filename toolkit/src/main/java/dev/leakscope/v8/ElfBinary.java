package dev.leakscope.v8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An ELF64 little-endian executable or shared object (the node binary): program and section headers,
 * symbols from {@code .dynsym} and {@code .symtab}, the GNU build-id note, and reads of initialised data
 * by virtual address. Reads only the tables it needs, never the whole file.
 */
public final class ElfBinary {

    /** One symbol: name, value (virtual address), size, section index. */
    public record Symbol(String name, long value, long size, int section) {
    }

    /** One PT_LOAD program header. */
    public record Segment(long vaddr, long offset, long fileSize, long memSize, int flags) {
    }

    private record Section(String name, int type, long addr, long offset, long size, int link, long entSize) {
    }

    private static final int SHT_SYMTAB = 2;
    private static final int SHT_NOBITS = 8;
    private static final int SHT_DYNSYM = 11;
    private static final int PT_LOAD = 1;
    private static final int PT_NOTE = 4;
    private static final int NT_GNU_BUILD_ID = 3;

    private final Path path;
    private final long fileSize;
    private final int elfType;
    private final int machine;
    private final List<Segment> loads = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();
    private final String buildId;

    private ElfBinary(Path path, FileChannel ch) throws IOException {
        this.path = path;
        this.fileSize = ch.size();
        ByteBuffer h = read(ch, 0, (int) Math.min(64, fileSize), "ELF header");
        if (fileSize < 4 || h.getInt(0) != 0x464c457f) {
            if (fileSize < 4) {
                throw error(0, "ELF magic 7f 45 4c 46", "a file of " + fileSize + " bytes");
            }
            throw error(0, "ELF magic 7f 45 4c 46", String.format("%02x %02x %02x %02x",
                    h.get(0), h.get(1), h.get(2), h.get(3)));
        }
        if (fileSize < 64) {
            throw error(0, "an ELF header of 64 bytes", "a file of " + fileSize + " bytes");
        }
        if (h.get(4) != 2 || h.get(5) != 1) {
            throw error(4, "a 64-bit little-endian ELF (EI_CLASS=2, EI_DATA=1)",
                    "EI_CLASS=" + h.get(4) + ", EI_DATA=" + h.get(5));
        }
        elfType = Short.toUnsignedInt(h.getShort(16));
        machine = Short.toUnsignedInt(h.getShort(18));
        long phoff = h.getLong(32);
        long shoff = h.getLong(40);
        int phentsize = Short.toUnsignedInt(h.getShort(54));
        int phnum = Short.toUnsignedInt(h.getShort(56));
        int shentsize = Short.toUnsignedInt(h.getShort(58));
        int shnum = Short.toUnsignedInt(h.getShort(60));
        int shstrndx = Short.toUnsignedInt(h.getShort(62));

        String noteBuildId = null;
        if (phnum > 0) {
            if (phentsize < 56 || phoff < 0 || phoff + (long) phnum * phentsize > fileSize) {
                throw error(32, "program headers inside the file", "phoff 0x" + Long.toHexString(phoff)
                        + " × " + phnum + " entries of " + phentsize + " B, file size 0x" + Long.toHexString(fileSize));
            }
            ByteBuffer ph = read(ch, phoff, phnum * phentsize, "program headers");
            for (int i = 0; i < phnum; i++) {
                int b = i * phentsize;
                int type = ph.getInt(b);
                int flags = ph.getInt(b + 4);
                long off = ph.getLong(b + 8);
                long vaddr = ph.getLong(b + 16);
                long filesz = ph.getLong(b + 32);
                long memsz = ph.getLong(b + 40);
                if (type == PT_LOAD) {
                    loads.add(new Segment(vaddr, off, filesz, memsz, flags));
                } else if (type == PT_NOTE && noteBuildId == null && filesz > 0 && filesz < (1 << 20)
                        && off + filesz <= fileSize) {
                    noteBuildId = buildIdFromNotes(read(ch, off, (int) filesz, "PT_NOTE"));
                }
            }
        }
        if (shnum > 0 && shoff > 0) {
            if (shentsize < 64 || shoff + (long) shnum * shentsize > fileSize) {
                throw error(40, "section headers inside the file", "shoff 0x" + Long.toHexString(shoff)
                        + " × " + shnum + ", file size 0x" + Long.toHexString(fileSize));
            }
            ByteBuffer sh = read(ch, shoff, shnum * shentsize, "section headers");
            long[] nameOff = new long[shnum];
            List<long[]> raw = new ArrayList<>();
            for (int i = 0; i < shnum; i++) {
                int b = i * shentsize;
                nameOff[i] = Integer.toUnsignedLong(sh.getInt(b));
                raw.add(new long[] {sh.getInt(b + 4), sh.getLong(b + 16), sh.getLong(b + 24), sh.getLong(b + 32),
                        sh.getInt(b + 40), sh.getLong(b + 56)});
            }
            ByteBuffer names = null;
            if (shstrndx < shnum) {
                long[] s = raw.get(shstrndx);
                if (s[2] + s[3] <= fileSize && s[3] < (1 << 24)) {
                    names = read(ch, s[2], (int) s[3], "section name table");
                }
            }
            for (int i = 0; i < shnum; i++) {
                long[] s = raw.get(i);
                sections.add(new Section(names == null ? "" : cString(names, (int) nameOff[i]), (int) s[0], s[1], s[2],
                        s[3], (int) s[4], s[5]));
            }
        }
        this.buildId = noteBuildId;
    }

    /** Opens {@code path}; throws {@link V8Exception} naming the file and offset when it is not an ELF64 LE file. */
    public static ElfBinary open(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return new ElfBinary(path, ch);
        } catch (IOException e) {
            throw new V8Exception("cannot read binary " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** ELF e_type: 2 = executable (fixed addresses), 3 = shared object / PIE. */
    public int elfType() {
        return elfType;
    }

    /** ELF e_machine: 62 = x86-64, 183 = AArch64. */
    public int machine() {
        return machine;
    }

    /** The NT_GNU_BUILD_ID as lowercase hex, or null when the binary has none. */
    public String buildId() {
        return buildId;
    }

    public List<Segment> loadSegments() {
        return List.copyOf(loads);
    }

    /** The lowest PT_LOAD virtual address rounded down to a page: where the file's first page is mapped. */
    public long firstLoadAddress() {
        long min = Long.MAX_VALUE;
        for (Segment s : loads) {
            min = Math.min(min, s.vaddr() - (s.offset() & 0xfff));
        }
        return min == Long.MAX_VALUE ? 0 : min & ~0xfffL;
    }

    /**
     * Symbols whose name passes {@code filter}, from {@code .dynsym} and then {@code .symtab} (the first seen
     * wins), in file order.
     */
    public Map<String, Symbol> symbols(Predicate<String> filter) {
        Map<String, Symbol> out = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            for (int wanted : new int[] {SHT_DYNSYM, SHT_SYMTAB}) {
                for (Section s : sections) {
                    if (s.type() != wanted || s.link() < 0 || s.link() >= sections.size()) {
                        continue;
                    }
                    Section strtab = sections.get(s.link());
                    if (s.size() > Integer.MAX_VALUE || strtab.size() > Integer.MAX_VALUE
                            || s.offset() + s.size() > fileSize || strtab.offset() + strtab.size() > fileSize) {
                        throw error(s.offset(), "symbol table " + s.name() + " inside the file",
                                "size 0x" + Long.toHexString(s.size()));
                    }
                    ByteBuffer syms = read(ch, s.offset(), (int) s.size(), s.name());
                    ByteBuffer strs = read(ch, strtab.offset(), (int) strtab.size(), strtab.name());
                    int ent = s.entSize() >= 24 ? (int) s.entSize() : 24;
                    int n = (int) (s.size() / ent);
                    byte[] buf = new byte[256];
                    for (int i = 1; i < n; i++) {
                        int b = i * ent;
                        int nameOff = syms.getInt(b);
                        if (nameOff <= 0 || nameOff >= strs.limit()) {
                            continue;
                        }
                        // cheap prefix test before building a String: only v8dbg_/nodedbg_-like names matter here
                        int len = 0;
                        while (nameOff + len < strs.limit() && strs.get(nameOff + len) != 0 && len < buf.length) {
                            buf[len] = strs.get(nameOff + len);
                            len++;
                        }
                        String name = new String(buf, 0, len, StandardCharsets.ISO_8859_1);
                        if (!filter.test(name) || out.containsKey(name)) {
                            continue;
                        }
                        int shndx = Short.toUnsignedInt(syms.getShort(b + 6));
                        out.put(name, new Symbol(name, syms.getLong(b + 8), syms.getLong(b + 16), shndx));
                    }
                }
            }
        } catch (IOException e) {
            throw new V8Exception("cannot read symbols of " + path + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** True when {@code vaddr} lies in a section without file data ({@code .bss}): its value exists only in memory. */
    public boolean isBss(long vaddr) {
        for (Section s : sections) {
            if (s.type() == SHT_NOBITS && s.addr() != 0 && vaddr >= s.addr() && vaddr < s.addr() + s.size()) {
                return true;
            }
        }
        for (Segment s : loads) {
            if (vaddr >= s.vaddr() + s.fileSize() && vaddr < s.vaddr() + s.memSize()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads {@code len} bytes at link-time virtual address {@code vaddr} from the file's loaded data; bytes
     * beyond a segment's file data (bss) read as zero. Returns null when no PT_LOAD segment covers the address.
     */
    public byte[] readVirtual(long vaddr, int len) {
        for (Segment s : loads) {
            if (vaddr >= s.vaddr() && vaddr + len <= s.vaddr() + s.memSize()) {
                byte[] out = new byte[len];
                long inSeg = vaddr - s.vaddr();
                long avail = Math.max(0, Math.min(len, s.fileSize() - inSeg));
                if (avail > 0) {
                    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                        ByteBuffer b = read(ch, s.offset() + inSeg, (int) avail, "data at 0x" + Long.toHexString(vaddr));
                        b.get(out, 0, (int) avail);
                    } catch (IOException e) {
                        throw new V8Exception("cannot read " + path + ": " + e.getMessage(), e);
                    }
                }
                return out;
            }
        }
        return null;
    }

    /** Reads the first {@code len} bytes of the file (for comparing with the ELF header page mapped in a core). */
    public byte[] head(int len) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = read(ch, 0, (int) Math.min(len, fileSize), "file head");
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new V8Exception("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The GNU build-id found in the notes of an ELF image given as its first bytes (as a process maps them:
     * the ELF header page), or null. Used on the header page of the binary that a core holds.
     */
    public static String buildIdFromImage(byte[] image) {
        ByteBuffer h = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (image.length < 64 || h.getInt(0) != 0x464c457f || h.get(4) != 2) {
            return null;
        }
        long phoff = h.getLong(32);
        int phentsize = Short.toUnsignedInt(h.getShort(54));
        int phnum = Short.toUnsignedInt(h.getShort(56));
        if (phentsize < 56 || phoff + (long) phnum * phentsize > image.length) {
            return null;
        }
        for (int i = 0; i < phnum; i++) {
            int b = (int) phoff + i * phentsize;
            if (h.getInt(b) == PT_NOTE) {
                long off = h.getLong(b + 8);
                long filesz = h.getLong(b + 32);
                if (off >= 0 && off + filesz <= image.length) {
                    ByteBuffer notes = ByteBuffer.wrap(image, (int) off, (int) filesz).slice().order(ByteOrder.LITTLE_ENDIAN);
                    String id = buildIdFromNotes(notes);
                    if (id != null) {
                        return id;
                    }
                }
            }
        }
        return null;
    }

    private static String buildIdFromNotes(ByteBuffer notes) {
        int p = 0;
        int lim = notes.limit();
        while (p + 12 <= lim) {
            int namesz = notes.getInt(p);
            int descsz = notes.getInt(p + 4);
            int type = notes.getInt(p + 8);
            if (namesz < 0 || descsz < 0) {
                return null;
            }
            int nameStart = p + 12;
            int descStart = nameStart + ((namesz + 3) & ~3);
            int next = descStart + ((descsz + 3) & ~3);
            if (next > lim || descStart + descsz > lim) {
                return null;
            }
            if (type == NT_GNU_BUILD_ID && namesz == 4 && notes.get(nameStart) == 'G' && notes.get(nameStart + 1) == 'N'
                    && notes.get(nameStart + 2) == 'U') {
                byte[] id = new byte[descsz];
                for (int i = 0; i < descsz; i++) {
                    id[i] = notes.get(descStart + i);
                }
                return HexFormat.of().formatHex(id);
            }
            p = next;
        }
        return null;
    }

    private static String cString(ByteBuffer b, int off) {
        if (off < 0 || off >= b.limit()) {
            return "";
        }
        int end = off;
        while (end < b.limit() && b.get(end) != 0) {
            end++;
        }
        byte[] s = new byte[end - off];
        for (int i = 0; i < s.length; i++) {
            s[i] = b.get(off + i);
        }
        return new String(s, StandardCharsets.ISO_8859_1);
    }

    private ByteBuffer read(FileChannel ch, long off, int len, String what) throws IOException {
        if (off < 0 || off + len > fileSize) {
            throw error(off, what + " of " + len + " bytes inside the file", "file size 0x" + Long.toHexString(fileSize));
        }
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int n = ch.read(b, off + b.position());
            if (n < 0) {
                throw error(off + b.position(), what, "end of file");
            }
        }
        return b.flip();
    }

    private V8Exception error(long offset, String expected, String found) {
        return new V8Exception(path + ": at 0x" + Long.toHexString(offset) + " expected " + expected + ", found " + found);
    }
}
