package dev.leakscope;

import dev.leakscope.core.AuxvEntry;
import dev.leakscope.core.CompressedCores;
import dev.leakscope.core.CoreFile;
import dev.leakscope.core.CoreFormatException;
import dev.leakscope.core.CoreWarning;
import dev.leakscope.core.FileMapping;
import dev.leakscope.core.Note;
import dev.leakscope.core.ProcessInfo;
import dev.leakscope.core.Segment;
import dev.leakscope.core.Signals;
import dev.leakscope.core.ThreadState;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * A core dump of a (Node.js) process: {@code Core.open("core.58")}. Kernel-written ({@code ulimit -c} + a
 * signal) and gdb {@code gcore} cores, x86-64 and AArch64; {@code .gz .zst .xz .lz4} cores are decompressed once
 * into a cache ({@code $LEAKSCOPE_CACHE} or {@code ~/.cache/leakscope}). Opening reads only the headers and notes;
 * memory is mapped lazily. Every answer is a table; {@link #strings()} searches the bytes like GNU strings.
 */
public final class Core implements AutoCloseable {

    private final Path source;
    private final CoreFile file;
    private final String[] labels;
    private final long firstData;
    private final Path binary;                 // node binary given with withBinary, or null: the one NT_FILE names
    private volatile JavaScript js;            // scanned once per Core, on first use

    private Core(Path source, CoreFile file) {
        this(source, file, RegionLabels.of(file), null);
    }

    private Core(Path source, CoreFile file, String[] labels, Path binary) {
        this.source = source;
        this.file = file;
        this.labels = labels;
        this.binary = binary;
        this.firstData = file.segments().stream().filter(x -> x.present() > 0).mapToLong(Segment::fileOffset).min()
                .orElse(Long.MAX_VALUE);
    }

    /**
     * This core read with the node binary at {@code path} instead of the one the core records (NT_FILE), e.g.
     * when the core comes from another machine. The binary must be the same build (checked by build-id).
     */
    public Core withBinary(String path) {
        return withBinary(Paths.get(path));
    }

    /** See {@link #withBinary(String)}. */
    public Core withBinary(Path path) {
        return new Core(source, file, labels, path);
    }

    /**
     * The JavaScript heap and stack of this node core, read with the binary's V8 postmortem metadata:
     * {@code js().objects()}, {@code js().instances("Name")}, {@code js().strings()}, {@code js().stack()}.
     * The first heap question scans the core (seconds); later ones reuse the result.
     */
    public JavaScript js() {
        JavaScript j = js;
        if (j == null) {
            synchronized (this) {
                j = js;
                if (j == null) {
                    j = js = JavaScript.of(file, binary);
                }
            }
        }
        return j;
    }

    /**
     * Native backtraces of all threads, by {@code gdb -batch -ex "thread apply all bt"} on the binary and this
     * core: thread, tid, frame, pc, function, file, line, library. Needs gdb installed (a clear error otherwise).
     */
    public Table backtrace() {
        Path exe = binary != null ? binary : dev.leakscope.v8.NodeProcess.executablePath(file);
        return dev.leakscope.v8.NativeBacktrace.table(dev.leakscope.v8.NativeBacktrace.run("gdb", exe, file.path(), 300));
    }

    /** Opens a core file (see {@link #open(Path)}). */
    public static Core open(String path) {
        return open(Paths.get(path));
    }

    /**
     * Opens a core file; a compressed one is decompressed into the cache first (once).
     *
     * @throws CoreFormatException when the file is missing, not a core, or damaged beyond reading
     */
    public static Core open(Path path) {
        CompressedCores.Kind kind = null;
        if (Files.isRegularFile(path)) {
            try {
                kind = CompressedCores.sniff(path);
            } catch (IOException e) {
                kind = null; // unreadable: CoreFile.open says why (permission denied…)
            }
        }
        if (kind != null) {
            try {
                Path plain = CompressedCores.decompressed(path, kind);
                CoreFile f = CoreFile.open(plain);
                String cut = CompressedCores.cutShort(plain);
                return new Core(path, cut == null ? f : f.withWarning(new CoreWarning(-1, "compressed core",
                        cut + "; what was decompressed is read as a truncated core")));
            } catch (IOException e) {
                throw new CoreFormatException(path, -1, "compressed core", "cannot decompress: " + e.getMessage(), e);
            }
        }
        return new Core(path, CoreFile.open(path));
    }

    /** The low-level reader: segments, notes and memory by virtual address. */
    public CoreFile file() {
        return file;
    }

    /** The path given to {@link #open}. */
    public Path path() {
        return source;
    }

    /** The label of segment {@code i} in address order: a mapped file's path, {@code [stack]}, {@code [heap]}… */
    public String regionLabel(int i) {
        return labels[i];
    }

    /** The label of the region holding file offset {@code off}: segment {@code s}'s label, or {@code [headers+notes]} /
     *  {@code [outside segments]} when {@code s} is null. */
    String labelAtFileOffset(Segment s, long off) {
        return s == null ? (off < firstData ? "[headers+notes]" : "[outside segments]") : labels[s.index()];
    }

    /**
     * One row: path, writer (kernel|gdb), arch, pid, ppid, uid, command, args, signal (the name; empty for a
     * gcore of a live process), signo, threads, regions, bytes (memory size), fileBytes (dumped bytes present),
     * warnings.
     */
    public Table info() {
        ProcessInfo pi = file.processInfo().orElse(null);
        int signo = file.signal();
        long bytes = 0;
        long present = 0;
        for (Segment s : file.segments()) {
            bytes += s.memSize();
            present += s.present();
        }
        Table t = Table.create("info",
                StringColumn.create("path", source.toString()),
                StringColumn.create("writer", file.writer()),
                StringColumn.create("arch", file.machine().displayName()),
                IntColumn.create("pid", new int[] {file.pid()}),
                IntColumn.create("ppid", new int[] {pi != null ? pi.ppid() : 0}),
                IntColumn.create("uid", new int[] {pi != null ? pi.uid() : -1}),
                StringColumn.create("command", pi != null ? pi.command() : ""),
                StringColumn.create("args", pi != null ? pi.args() : ""),
                StringColumn.create("signal", Signals.name(signo)),
                IntColumn.create("signo", new int[] {signo}),
                IntColumn.create("threads", new int[] {file.threads().size()}),
                IntColumn.create("regions", new int[] {file.segments().size()}),
                LongColumn.create("bytes", new long[] {bytes}),
                LongColumn.create("fileBytes", new long[] {present}),
                IntColumn.create("warnings", new int[] {file.warnings().size()}));
        return t;
    }

    /**
     * The memory regions (PT_LOAD segments) in address order — lldb's {@code memory region --all}: start, end
     * (hex), size, fileOffset, fileSize (bytes dumped; 0 = not in the core), perms, mapping (mapped file,
     * {@code [stack]}, {@code [stack:TID]}, {@code [heap]}, {@code [vdso]}, or {@code [anon]}).
     */
    public Table regions() {
        List<Segment> segs = file.segments();
        StringColumn start = StringColumn.create("start");
        StringColumn end = StringColumn.create("end");
        LongColumn size = LongColumn.create("size");
        LongColumn fo = LongColumn.create("fileOffset");
        LongColumn fs = LongColumn.create("fileSize");
        StringColumn perms = StringColumn.create("perms");
        StringColumn mapping = StringColumn.create("mapping");
        for (Segment s : segs) {
            start.append(hex(s.vaddr()));
            end.append(hex(s.end()));
            size.append(s.memSize());
            fo.append(s.fileOffset());
            fs.append(s.present());
            perms.append(s.perms());
            mapping.append(labels[s.index()]);
        }
        return Table.create("regions", start, end, size, fo, fs, perms, mapping);
    }

    /**
     * Threads — gdb's {@code info threads}: thread (1-based, as gdb numbers them), tid, signal, pc, sp, fp (hex),
     * current (the thread that dumped: the first one the kernel writes).
     */
    public Table threads() {
        IntColumn n = IntColumn.create("thread");
        IntColumn tid = IntColumn.create("tid");
        StringColumn sig = StringColumn.create("signal");
        StringColumn pc = StringColumn.create("pc");
        StringColumn sp = StringColumn.create("sp");
        StringColumn fp = StringColumn.create("fp");
        BooleanColumn current = BooleanColumn.create("current");
        for (ThreadState t : file.threads()) {
            n.append(t.index() + 1);
            tid.append(t.tid());
            sig.append(Signals.name(t.signal()));
            pc.append(hex(t.pc()));
            sp.append(hex(t.sp()));
            fp.append(hex(t.fp()));
            current.append(t.index() == 0);
        }
        return Table.create("threads", n, tid, sig, pc, sp, fp, current);
    }

    /** General registers of every thread — gdb's {@code info registers}: tid, register, value (hex). */
    public Table registers() {
        IntColumn tid = IntColumn.create("tid");
        StringColumn reg = StringColumn.create("register");
        StringColumn val = StringColumn.create("value");
        for (ThreadState t : file.threads()) {
            List<String> names = t.machine().registers();
            for (int i = 0; i < t.registers().length; i++) {
                tid.append(t.tid());
                reg.append(names.get(i));
                val.append(hex(t.registers()[i]));
            }
        }
        return Table.create("registers", tid, reg, val);
    }

    /** Files mapped into the process (NT_FILE): start, end (hex), offset (in the file, bytes), path. */
    public Table files() {
        StringColumn start = StringColumn.create("start");
        StringColumn end = StringColumn.create("end");
        LongColumn off = LongColumn.create("offset");
        StringColumn path = StringColumn.create("path");
        for (FileMapping f : file.fileMappings()) {
            start.append(hex(f.start()));
            end.append(hex(f.end()));
            off.append(f.fileOffset());
            path.append(f.path());
        }
        return Table.create("files", start, end, off, path);
    }

    /** The auxiliary vector (NT_AUXV): type (AT_…), value (hex), text (the string it points to, for AT_EXECFN,
     *  AT_PLATFORM and AT_BASE_PLATFORM; else empty). */
    public Table auxv() {
        StringColumn type = StringColumn.create("type");
        StringColumn value = StringColumn.create("value");
        StringColumn text = StringColumn.create("text");
        for (AuxvEntry e : file.auxv()) {
            type.append(e.name());
            value.append(hex(e.value()));
            String s = "";
            if (e.type() == 31 || e.type() == 15 || e.type() == 24) {
                s = file.readCString(e.value(), 4096);
            }
            text.append(s);
        }
        return Table.create("auxv", type, value, text);
    }

    /** The notes of the core: index, owner, type (NT_…), size, offset (file offset of the record). */
    public Table notes() {
        IntColumn idx = IntColumn.create("index");
        StringColumn owner = StringColumn.create("owner");
        StringColumn type = StringColumn.create("type");
        IntColumn size = IntColumn.create("size");
        LongColumn off = LongColumn.create("offset");
        for (Note n : file.notes()) {
            idx.append(n.index());
            owner.append(n.name());
            type.append(n.typeName());
            size.append(n.descSize());
            off.append(n.offset());
        }
        return Table.create("notes", idx, owner, type, size, off);
    }

    /** What is wrong with the core but let it open: offset (hex, or empty), structure, message. Empty when all is well. */
    public Table warnings() {
        StringColumn off = StringColumn.create("offset");
        StringColumn st = StringColumn.create("structure");
        StringColumn msg = StringColumn.create("message");
        for (CoreWarning w : file.warnings()) {
            off.append(w.offset() >= 0 ? hex(w.offset()) : "");
            st.append(w.structure());
            msg.append(w.message());
        }
        return Table.create("warnings", off, st, msg);
    }

    /** Printable strings of the core, like GNU {@code strings -a} (every byte of the file, ≥ 4 characters). */
    public Strings strings() {
        return Strings.of(this);
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** Closes the core file. */
    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        ProcessInfo pi = file.processInfo().orElse(null);
        return "Core " + source + " (" + file.writer() + ", " + file.machine().displayName()
                + (pi != null ? ", pid " + pi.pid() + " " + pi.command() : "") + ", " + file.threads().size()
                + " threads, " + file.segments().size() + " regions" + (file.warnings().isEmpty() ? "" : ", "
                + file.warnings().size() + " warnings") + ")";
    }
}
