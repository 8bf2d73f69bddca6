package dev.leakscope.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An ELF64 little-endian Linux core file (kernel-written or {@code gcore}), opened in O(headers): the program
 * headers and notes are read, the memory is mapped lazily in windows of at most 1 GiB and never copied onto
 * the heap. Process memory is read by virtual address through {@link #read}, {@link #readLong},
 * {@link #readInt}; bytes between a segment's p_filesz and p_memsz read as zeros.
 *
 * <p>A truncated core opens: what the file holds is readable and {@link #warnings()} says what is missing.
 * A file that is not an ELF64 LE core throws {@link CoreFormatException} naming the path, the hex offset and
 * what was expected. Thread-safe for reads.
 */
public final class CoreFile implements AutoCloseable {

    public static final int PT_LOAD = 1;
    public static final int PT_NOTE = 4;
    public static final int ET_CORE = 4;
    /** Most bytes of PT_NOTE read (notes are small; a bigger p_filesz is damage). */
    static final long MAX_NOTES = 256L << 20;

    private final Path path;
    private final FileWindows file;
    private final Machine machine;
    private final int elfMachine;
    private final boolean sectionHeaders;
    private final List<Segment> segments;
    private final long[] starts; // segment vaddr ^ Long.MIN_VALUE (signed order == unsigned order of vaddr)
    private final List<Note> notes;
    private final List<ThreadState> threads;
    private final ProcessInfo processInfo;
    private final SignalInfo signalInfo;
    private final List<FileMapping> fileMappings;
    private final List<AuxvEntry> auxv;
    private final List<CoreWarning> warnings;

    private CoreFile(Path path, FileWindows file, Machine machine, int elfMachine, boolean sectionHeaders,
                     List<Segment> segments, List<Note> notes, List<ThreadState> threads, ProcessInfo processInfo,
                     SignalInfo signalInfo, List<FileMapping> fileMappings, List<AuxvEntry> auxv,
                     List<CoreWarning> warnings) {
        this.path = path;
        this.file = file;
        this.machine = machine;
        this.elfMachine = elfMachine;
        this.sectionHeaders = sectionHeaders;
        this.segments = List.copyOf(segments);
        this.starts = new long[segments.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = segments.get(i).vaddr() ^ Long.MIN_VALUE;
        }
        this.notes = List.copyOf(notes);
        this.threads = List.copyOf(threads);
        this.processInfo = processInfo;
        this.signalInfo = signalInfo;
        this.fileMappings = List.copyOf(fileMappings);
        this.auxv = List.copyOf(auxv);
        this.warnings = Collections.unmodifiableList(warnings);
    }

    /**
     * Opens a core: reads the ELF header, program headers and notes; maps nothing yet.
     *
     * @throws CoreFormatException when the file is missing, a directory, empty, not an ELF64 little-endian
     *                             core (ET_CORE), or its program headers lie past the end of the file
     */
    public static CoreFile open(Path path) {
        return open(path, FileWindows.WINDOW);
    }

    /** As {@link #open(Path)} with mapping windows of {@code windowSize} bytes (tests use small windows to cross edges). */
    static CoreFile open(Path path, long windowSize) {
        if (Files.isDirectory(path)) {
            throw new CoreFormatException(path, -1, "", "is a directory, expected a core file");
        }
        if (!Files.exists(path)) {
            throw new CoreFormatException(path, -1, "", "no such file");
        }
        FileWindows fw;
        try {
            fw = new FileWindows(path, windowSize);
        } catch (NoSuchFileException e) {
            throw new CoreFormatException(path, -1, "", "no such file", e);
        } catch (AccessDeniedException e) {
            throw new CoreFormatException(path, -1, "", "permission denied", e);
        } catch (IOException e) {
            throw new CoreFormatException(path, -1, "", "cannot open: " + e, e);
        }
        try {
            return read(path, fw);
        } catch (RuntimeException e) {
            try {
                fw.close();
            } catch (IOException ignored) {
                // the format error is what matters
            }
            throw e;
        }
    }

    /**
     * For the error about a file that is not an ELF core: what its first bytes say it is instead, with the tool for
     * it ("" when they say nothing) — users run {@code strings} on heap snapshots (the seed does) and pass logs by mistake.
     */
    public static String whatItIs(byte[] head, int n) {
        String s = new String(head, 0, Math.max(0, Math.min(n, head.length)), java.nio.charset.StandardCharsets.ISO_8859_1).stripLeading();
        if (s.startsWith("{\"snapshot\"")) {
            return ": it is a V8 heap snapshot — open it with Heap.open(…) or `leakscope heap` (--strings RE for its strings)";
        }
        boolean text = n > 0;
        for (int i = 0; i < n && text; i++) {
            int c = head[i] & 0xff;
            text = c == '\n' || c == '\r' || c == '\t' || c >= 0x20 && c != 0x7f;
        }
        return text ? ": it is text — a log? open it with Logs.open(…) or `leakscope report --log`" : "";
    }

    private static CoreFile read(Path path, FileWindows fw) {
        long size = fw.size();
        if (size == 0) {
            throw new CoreFormatException(path, 0, "ELF header", "empty file (0 bytes), expected an ELF core");
        }
        byte[] h = new byte[64];
        int got = fw.read(0, h, 0, 64);
        if (got < 4 || h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') {
            StringBuilder m = new StringBuilder();
            for (int i = 0; i < Math.min(4, got); i++) {
                m.append(i > 0 ? " " : "").append(String.format("%02x", h[i] & 0xff));
            }
            throw new CoreFormatException(path, 0, "ELF header", "not an ELF file (magic " + m
                    + ", expected 7f 45 4c 46)" + whatItIs(h, got));
        }
        if (h[4] != 2) {
            throw new CoreFormatException(path, 4, "ELF header", "EI_CLASS is " + h[4] + (h[4] == 1 ? " (32-bit)" : "")
                    + ", expected 2 (ELFCLASS64): only 64-bit cores are supported");
        }
        if (h[5] != 1) {
            throw new CoreFormatException(path, 5, "ELF header", "EI_DATA is " + h[5] + (h[5] == 2 ? " (big-endian)" : "")
                    + ", expected 1 (little-endian)");
        }
        if (got < 64) {
            throw new CoreFormatException(path, 0, "ELF header", "file is " + got
                    + " bytes, shorter than the 64-byte ELF64 header");
        }
        ByteBuffer eh = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        int type = eh.getShort(16) & 0xffff;
        if (type != ET_CORE) {
            throw new CoreFormatException(path, 16, "ELF header", "e_type is " + type + " (" + etype(type)
                    + "), expected 4 (ET_CORE): this is an ELF file but not a core dump");
        }
        int em = eh.getShort(18) & 0xffff;
        long phoff = eh.getLong(32);
        long shoff = eh.getLong(40);
        int phentsize = eh.getShort(54) & 0xffff;
        long phnum = eh.getShort(56) & 0xffff;
        int shnum = eh.getShort(60) & 0xffff;
        List<CoreWarning> warnings = new ArrayList<>();
        if (phnum == 0xffff) {
            // PN_XNUM: the real count is in section header 0's sh_info.
            if (shoff <= 0 || shoff > size - 64) {
                throw new CoreFormatException(path, shoff, "section header 0", "e_phnum is PN_XNUM (0xffff) but "
                        + "section header 0 (which holds the real count) is past the end of the file (size 0x"
                        + Long.toHexString(size) + ")");
            }
            phnum = Integer.toUnsignedLong(fw.getInt(shoff + 44));
        }
        if (phentsize != 56) {
            throw new CoreFormatException(path, 54, "ELF header", "e_phentsize is " + phentsize
                    + ", expected 56 (Elf64_Phdr)");
        }
        if (phnum == 0) {
            throw new CoreFormatException(path, 56, "ELF header", "e_phnum is 0: a core has at least a PT_NOTE");
        }
        long phend = phoff + phnum * 56;
        if (phoff < 64 || phend > size || phend < phoff) {
            throw new CoreFormatException(path, phoff, "program headers", phnum + " program headers from 0x"
                    + Long.toHexString(phoff) + " end at 0x" + Long.toHexString(phend) + ", file ends at 0x"
                    + Long.toHexString(size) + "; expected them inside the file");
        }
        Machine machine = Machine.of(em);
        if (machine == Machine.OTHER) {
            warnings.add(new CoreWarning(18, "ELF header", "e_machine " + em
                    + " is not x86-64 (62) or AArch64 (183): registers are not decoded"));
        }
        List<Segment> segs = new ArrayList<>();
        List<Note> notes = new ArrayList<>();
        byte[] ph = new byte[56];
        long truncatedMem = 0;
        long totalFile = 0;
        CoreWarning firstTruncation = null;
        int truncatedSegments = 0;
        for (int i = 0; i < phnum; i++) {
            long at = phoff + 56L * i;
            fw.read(at, ph, 0, 56);
            ByteBuffer p = ByteBuffer.wrap(ph).order(ByteOrder.LITTLE_ENDIAN);
            int ptype = p.getInt(0);
            int flags = p.getInt(4);
            long off = p.getLong(8);
            long vaddr = p.getLong(16);
            long filesz = p.getLong(32);
            long memsz = p.getLong(40);
            long align = p.getLong(48);
            if (ptype == PT_LOAD) {
                if (filesz < 0 || memsz < 0 || off < 0) {
                    warnings.add(new CoreWarning(at, "program header " + i, "PT_LOAD with negative size or offset "
                            + "(offset 0x" + Long.toHexString(off) + ", filesz 0x" + Long.toHexString(filesz)
                            + ", memsz 0x" + Long.toHexString(memsz) + "): segment ignored"));
                    continue;
                }
                if (filesz > memsz) {
                    warnings.add(new CoreWarning(at, "program header " + i, "p_filesz 0x" + Long.toHexString(filesz)
                            + " > p_memsz 0x" + Long.toHexString(memsz) + ": only p_memsz bytes are used"));
                    filesz = memsz;
                }
                long present = filesz == 0 ? 0 : Math.max(0, Math.min(filesz, size - off));
                totalFile += filesz;
                if (present < filesz) {
                    truncatedSegments++;
                    truncatedMem += filesz - present;
                    if (firstTruncation == null) {
                        firstTruncation = new CoreWarning(at, "program header " + i, "core truncated: PT_LOAD at 0x"
                                + Long.toHexString(vaddr) + " needs file bytes up to 0x"
                                + Long.toHexString(off + filesz) + ", file ends at 0x" + Long.toHexString(size));
                    }
                }
                segs.add(new Segment(-1, i, vaddr, memsz, off, filesz, present, flags));
            } else if (ptype == PT_NOTE) {
                if (filesz <= 0) {
                    continue;
                }
                long avail = Math.max(0, Math.min(filesz, size - off));
                if (avail < filesz) {
                    warnings.add(new CoreWarning(at, "program header " + i, "PT_NOTE at 0x" + Long.toHexString(off)
                            + " needs 0x" + Long.toHexString(filesz) + " bytes, file holds 0x" + Long.toHexString(avail)
                            + ": notes past the end of the file are lost"));
                }
                if (avail > MAX_NOTES) {
                    warnings.add(new CoreWarning(at, "program header " + i, "PT_NOTE of 0x" + Long.toHexString(avail)
                            + " bytes is implausibly large; read only the first 0x" + Long.toHexString(MAX_NOTES)));
                    avail = MAX_NOTES;
                }
                byte[] nb = new byte[(int) avail];
                fw.read(off, nb, 0, nb.length);
                notes.addAll(NoteReader.read(path, ByteBuffer.wrap(nb), off, notes.size(), (int) align,
                        warnings::add));
            }
        }
        if (firstTruncation != null) {
            warnings.add(firstTruncation);
            double pct = totalFile == 0 ? 100 : 100.0 * (totalFile - truncatedMem) / totalFile;
            warnings.add(new CoreWarning(size, "file", String.format("core truncated: %d of %d segments are cut "
                    + "short or missing, 0x%x of 0x%x dumped bytes are not in the file — %.0f %% of dumped memory "
                    + "readable; reads there return short and strings there are not found", truncatedSegments,
                    segs.size(), truncatedMem, totalFile, pct)));
        }
        segs.sort(Comparator.comparing(Segment::vaddr, Long::compareUnsigned));
        List<Segment> indexed = new ArrayList<>(segs.size());
        for (int i = 0; i < segs.size(); i++) {
            Segment s = segs.get(i);
            indexed.add(new Segment(i, s.header(), s.vaddr(), s.memSize(), s.fileOffset(), s.fileSize(), s.present(),
                    s.flags()));
            if (i > 0 && Long.compareUnsigned(segs.get(i - 1).end(), s.vaddr()) > 0) {
                warnings.add(new CoreWarning(-1, "program header " + s.header(), "PT_LOAD at 0x"
                        + Long.toHexString(s.vaddr()) + " overlaps the previous one (ends 0x"
                        + Long.toHexString(segs.get(i - 1).end()) + ")"));
            }
        }
        // Decode the notes users ask about.
        List<ThreadState> threads = new ArrayList<>();
        ProcessInfo pi = null;
        SignalInfo si = null;
        List<FileMapping> files = List.of();
        List<AuxvEntry> auxv = List.of();
        for (Note n : notes) {
            if (!"CORE".equals(n.name())) {
                continue;
            }
            try {
                switch (n.type()) {
                    case Note.NT_PRSTATUS:
                        threads.add(NoteReader.prStatus(path, n, machine, threads.size()));
                        break;
                    case Note.NT_PRPSINFO:
                        if (pi == null) {
                            pi = NoteReader.prPsInfo(path, n);
                        }
                        break;
                    case Note.NT_SIGINFO:
                        if (si == null) {
                            si = NoteReader.sigInfo(path, n);
                        }
                        break;
                    case Note.NT_FILE:
                        files = NoteReader.files(path, n);
                        break;
                    case Note.NT_AUXV:
                        auxv = NoteReader.auxv(path, n);
                        break;
                    default:
                        break;
                }
            } catch (CoreFormatException e) {
                warnings.add(new CoreWarning(e.offset(), e.structure(), e.problem()));
            }
        }
        if (threads.isEmpty()) {
            warnings.add(new CoreWarning(-1, "notes", "no NT_PRSTATUS note: no threads or registers"));
        }
        if (pi == null) {
            warnings.add(new CoreWarning(-1, "notes", "no NT_PRPSINFO note: no pid, command or arguments"));
        }
        return new CoreFile(path, fw, machine, em, shnum > 0, indexed, notes, threads, pi, si, files, auxv, warnings);
    }

    private static String etype(int t) {
        switch (t) {
            case 0: return "ET_NONE";
            case 1: return "ET_REL, an object file";
            case 2: return "ET_EXEC, an executable";
            case 3: return "ET_DYN, a shared object or PIE executable";
            default: return "unknown";
        }
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** File size in bytes. */
    public long fileSize() {
        return file.size();
    }

    /** The CPU ({@link Machine#OTHER} when not x86-64 or AArch64). */
    public Machine machine() {
        return machine;
    }

    /** ELF e_machine as written. */
    public int elfMachine() {
        return elfMachine;
    }

    /** Who wrote the core: {@code "gdb"} (gcore: section headers, a GDB note) or {@code "kernel"}. */
    public String writer() {
        if (sectionHeaders) {
            return "gdb";
        }
        for (Note n : notes) {
            if ("GDB".equals(n.name())) {
                return "gdb";
            }
        }
        return "kernel";
    }

    /** PT_LOAD segments sorted by virtual address. */
    public List<Segment> segments() {
        return segments;
    }

    /** All note records, in file order. */
    public List<Note> notes() {
        return notes;
    }

    /** Threads (one per NT_PRSTATUS), in file order: the kernel writes the dumping thread first. */
    public List<ThreadState> threads() {
        return threads;
    }

    /** NT_PRPSINFO, when present. */
    public Optional<ProcessInfo> processInfo() {
        return Optional.ofNullable(processInfo);
    }

    /** NT_SIGINFO (the first one), when present. */
    public Optional<SignalInfo> signalInfo() {
        return Optional.ofNullable(signalInfo);
    }

    /** The process id: NT_PRPSINFO's, else the first thread's tid, else 0. */
    public int pid() {
        return processInfo != null ? processInfo.pid() : threads.isEmpty() ? 0 : threads.get(0).tid();
    }

    /**
     * The signal that made the core: for a kernel core NT_SIGINFO's, else the first thread's (the one that dumped);
     * for a gcore the first thread's, 0 when the process was live.
     */
    public int signal() {
        int first = threads.isEmpty() ? 0 : threads.get(0).signal();
        return writer().equals("kernel") && signalInfo != null ? signalInfo.signo() : first;
    }

    /** NT_FILE: files mapped into the process. */
    public List<FileMapping> fileMappings() {
        return fileMappings;
    }

    /** NT_AUXV entries (without the terminating AT_NULL). */
    public List<AuxvEntry> auxv() {
        return auxv;
    }

    /** This core with {@code w} first among its {@link #warnings()} (e.g. what a decompression lost). */
    public CoreFile withWarning(CoreWarning w) {
        List<CoreWarning> all = new ArrayList<>();
        all.add(w);
        all.addAll(warnings);
        return new CoreFile(path, file, machine, elfMachine, sectionHeaders, segments, notes, threads, processInfo,
                signalInfo, fileMappings, auxv, all);
    }

    /** What was wrong but still let the core open (truncation, damaged notes…). */
    public List<CoreWarning> warnings() {
        return warnings;
    }

    /** The mapped file, for scanners that walk file bytes. */
    public FileWindows fileWindows() {
        return file;
    }

    /** The segment containing {@code vaddr}, or {@code null}. */
    public Segment segmentAt(long vaddr) {
        int i = indexAt(vaddr);
        return i < 0 ? null : segments.get(i);
    }

    /** The segment whose file data contains file offset {@code off}, or {@code null} (headers, notes, gaps). */
    public Segment segmentAtFileOffset(long off) {
        for (Segment s : segments) { // callers needing speed build their own index (see SegmentIndex)
            if (s.containsFileOffset(off)) {
                return s;
            }
        }
        return null;
    }

    private int indexAt(long vaddr) {
        long key = vaddr ^ Long.MIN_VALUE;
        int lo = 0;
        int hi = starts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        // hi = last segment with start <= vaddr; overlapping segments are rare, check a few back
        for (int i = hi; i >= 0 && i > hi - 4; i--) {
            if (segments.get(i).contains(vaddr)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code vaddr} lies in a PT_LOAD segment (its bytes may still be missing from a truncated core). */
    public boolean isMapped(long vaddr) {
        return indexAt(vaddr) >= 0;
    }

    /**
     * Copies process memory at {@code vaddr} into {@code dst}. Bytes a segment has in memory but not in the
     * file (p_filesz &lt; p_memsz) read as zeros; reading continues into the next segment when it starts
     * exactly where one ends.
     *
     * @return bytes copied: {@code len}, or fewer when an unmapped address or data missing from a truncated
     *         core is reached (0 when {@code vaddr} itself is unreadable)
     */
    public int read(long vaddr, byte[] dst, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        int done = 0;
        int i = indexAt(vaddr);
        while (len > 0 && i >= 0 && i < segments.size()) {
            Segment s = segments.get(i);
            if (!s.contains(vaddr)) {
                break;
            }
            long rel = vaddr - s.vaddr();
            long inSeg = s.memSize() - rel;
            int n = (int) Math.min(len, inSeg);
            int copied = 0;
            if (rel < s.present()) {
                int fromFile = (int) Math.min(n, s.present() - rel);
                copied = file.read(s.fileOffset() + rel, dst, off, fromFile);
            }
            if (copied < n) {
                long relNow = rel + copied;
                if (relNow < s.fileSize()) {
                    return done + copied; // truncated core: bytes should be in the file and are not
                }
                java.util.Arrays.fill(dst, off + copied, off + n, (byte) 0);
            }
            done += n;
            off += n;
            len -= n;
            vaddr += n;
            i++;
        }
        return done;
    }

    /** {@code len} bytes at {@code vaddr}; throws {@link UnreadableAddressException} if they are not all readable. */
    public byte[] readBytes(long vaddr, int len) {
        byte[] b = new byte[len];
        int n = read(vaddr, b, 0, len);
        if (n < len) {
            throw unreadable(vaddr + n, len - n);
        }
        return b;
    }

    /** The little-endian u64 at {@code vaddr}; throws {@link UnreadableAddressException} when not readable. */
    public long readLong(long vaddr) {
        int i = indexAt(vaddr);
        if (i >= 0) {
            Segment s = segments.get(i);
            long rel = vaddr - s.vaddr();
            if (rel + 8 <= s.present()) {
                return file.getLong(s.fileOffset() + rel);
            }
        }
        byte[] b = readBytes(vaddr, 8);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The little-endian u32 at {@code vaddr} as an int; throws {@link UnreadableAddressException} when not readable. */
    public int readInt(long vaddr) {
        int i = indexAt(vaddr);
        if (i >= 0) {
            Segment s = segments.get(i);
            long rel = vaddr - s.vaddr();
            if (rel + 4 <= s.present()) {
                return file.getInt(s.fileOffset() + rel);
            }
        }
        byte[] b = readBytes(vaddr, 4);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** The byte at {@code vaddr}; throws {@link UnreadableAddressException} when not readable. */
    public byte readByte(long vaddr) {
        return readBytes(vaddr, 1)[0];
    }

    /** The NUL-terminated string at {@code vaddr} (UTF-8, at most {@code max} bytes; stops where memory does). */
    public String readCString(long vaddr, int max) {
        byte[] b = new byte[max];
        int n = read(vaddr, b, 0, max);
        int e = 0;
        while (e < n && b[e] != 0) {
            e++;
        }
        return new String(b, 0, e, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Copies file bytes at file offset {@code off} (not a virtual address); returns the count, short at EOF. */
    public int readFile(long off, byte[] dst, int dstOff, int len) {
        return file.read(off, dst, dstOff, len);
    }

    private UnreadableAddressException unreadable(long vaddr, int len) {
        Segment s = segmentAt(vaddr);
        String why = s == null ? "no PT_LOAD segment contains it"
                : "segment " + s.index() + " [0x" + Long.toHexString(s.vaddr()) + ", 0x" + Long.toHexString(s.end())
                + ") lost its data to truncation (file ends at 0x" + Long.toHexString(file.size()) + ")";
        return new UnreadableAddressException(path, vaddr, len, why);
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "CoreFile[" + path + ", " + machine.displayName() + ", " + writer() + ", " + segments.size()
                + " segments, " + threads.size() + " threads]";
    }
}
