package dev.leakscope;

import dev.leakscope.core.CoreFile;
import dev.leakscope.v8.CoreProcessMemory;
import dev.leakscope.v8.HeapIndex;
import dev.leakscope.v8.HeapScanner;
import dev.leakscope.v8.JsStackWalker;
import dev.leakscope.v8.NativeBacktrace;
import dev.leakscope.v8.NodeProcess;
import dev.leakscope.v8.ProcessMemory;
import dev.leakscope.v8.V8Metadata;
import dev.leakscope.v8.V8Reader;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The JavaScript side of a node core, read with the V8 postmortem metadata of the node binary (llnode's
 * {@code findjsobjects}, {@code findjsinstances}, {@code bt}, without lldb): objects by constructor, the
 * instances of one constructor with their properties, the JS strings, the main thread's JS stack.
 * The heap is scanned once, on first use, then every answer comes from that index.
 * <pre>{@code
 * JavaScript js = JavaScript.open(Path.of("core.1234"));
 * js.objects()                    // name, kind, count, totalShallowSize
 * js.instances("RequestContext")  // address, shallowSize, one column per property
 * js.strings().grep("ENOMEM").countBy()
 * js.stack()                      // the main thread's JavaScript frames
 * }</pre>
 */
public final class JavaScript implements AutoCloseable {

    private final CoreFile ownedCore;
    private final CoreFile core;
    private final ProcessMemory memory;
    private final NodeProcess node;
    private final V8Reader reader;
    private volatile HeapIndex index;
    private volatile double scanSeconds;

    private JavaScript(CoreFile ownedCore, CoreProcessMemory coreMemory, Path binary) {
        this.ownedCore = ownedCore;
        this.core = coreMemory.core();
        this.node = NodeProcess.open(coreMemory, binary);
        // pages of the binary the core left out (read-only data: built-in module sources) come from the file
        this.memory = node.mappedPath() == null ? coreMemory
                : coreMemory.withBackingFile(node.mappedPath(), node.binary().path());
        this.reader = new V8Reader(memory, node.metadata());
    }

    /** Opens {@code core}; the node binary is the one the core records (NT_FILE), checked by build-id. */
    public static JavaScript open(Path core) {
        return open(core, null);
    }

    /** Opens {@code core} with the node binary at {@code binary} (null: the one the core records). */
    public static JavaScript open(Path core, Path binary) {
        CoreFile cf = CoreFile.open(core);
        try {
            return new JavaScript(cf, new CoreProcessMemory(cf), binary);
        } catch (RuntimeException e) {
            cf.close();
            throw e;
        }
    }

    /** The JavaScript of an open core (not closed by this object); {@code binary} may be null. */
    public static JavaScript of(CoreFile core, Path binary) {
        return new JavaScript(null, new CoreProcessMemory(core), binary);
    }

    /** The heap index, scanning the core on first use. */
    public HeapIndex heap() {
        HeapIndex h = index;
        if (h == null) {
            synchronized (this) {
                h = index;
                if (h == null) {
                    long t0 = System.nanoTime();
                    h = HeapScanner.scan(reader);
                    scanSeconds = (System.nanoTime() - t0) / 1e9;
                    index = h;
                }
            }
        }
        return h;
    }

    /**
     * JavaScript objects by constructor, like llnode's findjsobjects with the names a heap snapshot uses:
     * name, kind (object, closure, string), count, totalShallowSize — most instances first. Counts include
     * unreachable objects the GC has not reclaimed yet (a heap snapshot collects garbage first).
     */
    public Table objects() {
        return heap().table(Set.of("object", "closure", "string"));
    }

    /** {@link #objects()} plus V8's internal objects (kind "internal": maps, fixed arrays, code…). */
    public Table allObjects() {
        return heap().table(Set.of("object", "closure", "string", "internal"));
    }

    /** The instances of the constructor {@code name} (as {@link #objects()} names them), at most 100,000. */
    public Table instances(String name) {
        return instances(name, 100_000);
    }

    /**
     * The first {@code limit} instances of {@code name} by address: address, shallowSize and one column per
     * property name with simple values (numbers, quoted strings, booleans, {@code Ctor@0x…} for objects).
     */
    public Table instances(String name, int limit) {
        return heap().instances(name, limit);
    }

    /**
     * Functions (closures) grouped by their code: name, script, line (the function's first line, where V8 11 keeps
     * its bytecode), count, totalShallowSize — most first. A listener leak shows as one function with a count
     * that grows with the requests (e.g. {@code onReload} in the example app).
     */
    public Table closures() {
        HeapIndex h = heap();
        long[] fns = h.addressesOfKind("closure");
        java.util.Map<Long, long[]> bySfi = new java.util.HashMap<>();   // sfi -> {count, size}
        for (long f : fns) {
            if (!reader.isFunction(f)) {
                continue;   // bound functions: no shared info of their own
            }
            long sfi = reader.field(f, reader.sharedOffset());
            long[] c = bySfi.computeIfAbsent(sfi, k -> new long[2]);
            c[0]++;
            c[1] += reader.fixedInstanceSize(reader.mapOf(f));
        }
        JsStackWalker walker = new JsStackWalker(reader);
        java.util.Map<String, long[]> groups = new java.util.HashMap<>();
        java.util.Map<String, String[]> keys = new java.util.HashMap<>();
        for (var e : bySfi.entrySet()) {
            long sfi = e.getKey();
            String name = reader.sfiName(sfi);
            String script = walker.scriptName(sfi);
            int line = walker.firstLine(sfi);
            String key = name + "\u0000" + script + "\u0000" + line;
            long[] g = groups.computeIfAbsent(key, k -> new long[2]);
            g[0] += e.getValue()[0];
            g[1] += e.getValue()[1];
            keys.putIfAbsent(key, new String[] {name == null || name.isEmpty() ? "(anonymous)" : name, script,
                    Integer.toString(line)});
        }
        List<String> order = new ArrayList<>(groups.keySet());
        order.sort((a, b) -> groups.get(a)[0] != groups.get(b)[0] ? Long.compare(groups.get(b)[0], groups.get(a)[0])
                : a.compareTo(b));
        StringColumn name = StringColumn.create("name");
        StringColumn script = StringColumn.create("script");
        IntColumn line = IntColumn.create("line");
        LongColumn count = LongColumn.create("count");
        LongColumn size = LongColumn.create("totalShallowSize");
        for (String k : order) {
            String[] v = keys.get(k);
            name.append(v[0]);
            append(script, v[1]);
            int ln = Integer.parseInt(v[2]);
            if (ln > 0) {
                line.append(ln);
            } else {
                line.appendMissing();
            }
            count.append(groups.get(k)[0]);
            size.append(groups.get(k)[1]);
        }
        return Table.create("closures", name, script, line, count, size);
    }

    /** The V8 string objects of the heap (cons strings flattened), to filter, list or count. */
    public JsStrings strings() {
        return new JsStrings(heap(), 0, Integer.MAX_VALUE, 4096, null);
    }

    /**
     * The JavaScript stack of the main thread: frame, kind (js or a V8 frame type), function, script, line,
     * column, lineKind ("current" from the bytecode offset of an interpreted frame, "functionStart" when only
     * the function's first position is known), fp, pc.
     */
    public Table stack() {
        int pid = memory.pid();
        ProcessMemory.ThreadRegisters main = null;
        for (ProcessMemory.ThreadRegisters t : memory.threads()) {
            if (t.tid() == pid) {
                main = t;
            }
        }
        if (main == null && !memory.threads().isEmpty()) {
            main = memory.threads().get(0);
        }
        List<JsStackWalker.Frame> frames = main == null ? List.of() : new JsStackWalker(reader).walk(main);
        IntColumn frame = IntColumn.create("frame");
        StringColumn kind = StringColumn.create("kind");
        StringColumn fn = StringColumn.create("function");
        StringColumn script = StringColumn.create("script");
        IntColumn line = IntColumn.create("line");
        IntColumn column = IntColumn.create("column");
        StringColumn lineKind = StringColumn.create("lineKind");
        StringColumn fp = StringColumn.create("fp");
        StringColumn pc = StringColumn.create("pc");
        for (JsStackWalker.Frame f : frames) {
            frame.append(f.index());
            kind.append(f.kind());
            append(fn, f.function());
            append(script, f.script());
            if (f.line() > 0) {
                line.append(f.line());
                column.append(f.column());
            } else {
                line.appendMissing();
                column.appendMissing();
            }
            append(lineKind, f.lineKind());
            fp.append("0x" + Long.toHexString(f.fp()));
            pc.append("0x" + Long.toHexString(f.pc()));
        }
        return Table.create("jsStack", frame, kind, fn, script, line, column, lineKind, fp, pc);
    }

    /**
     * Native backtraces of all threads through {@code gdb -batch} (thread, tid, frame, pc, function, file,
     * line, library); a clear error when gdb is not installed.
     */
    public Table backtrace() {
        return NativeBacktrace.table(NativeBacktrace.run("gdb", node.binary().path(), Path.of(memory.source()), 300));
    }

    /** The V8 postmortem constants used: name, value, origin (binary, core, zero). */
    public Table metadata() {
        StringColumn name = StringColumn.create("name");
        LongColumn value = LongColumn.create("value");
        StringColumn origin = StringColumn.create("origin");
        for (V8Metadata.Constant c : node.metadata().all()) {
            name.append(c.name());
            value.append(c.value());
            origin.append(c.origin().name().toLowerCase());
        }
        return Table.create("v8Metadata", name, value, origin);
    }

    /** One row: binary, buildId, coreBuildId, objects, scannedBytes, scanSeconds (scanning if not done yet). */
    public Table info() {
        HeapIndex h = heap();
        return Table.create("jsInfo",
                StringColumn.create("binary", node.binary().path().toString()),
                StringColumn.create("buildId", String.valueOf(node.binary().buildId())),
                StringColumn.create("coreBuildId", String.valueOf(node.coreBuildId())),
                LongColumn.create("objects", new long[] {h.objectCount()}),
                LongColumn.create("scannedBytes", new long[] {h.scannedBytes()}),
                DoubleColumn.create("scanSeconds", new double[] {scanSeconds}));
    }

    /** What could not be read or verified (the core's own warnings first): one row per warning (message). */
    public Table warnings() {
        List<String> w = new ArrayList<>();
        core.warnings().forEach(cw -> w.add(cw.toString()));
        w.addAll(node.warnings());
        HeapIndex h = index;
        if (h != null) {
            w.addAll(h.warnings());
        }
        return Table.create("warnings", StringColumn.create("message", w));
    }

    /** The node binary in use. */
    public Path binary() {
        return node.binary().path();
    }

    private static void append(StringColumn c, String v) {
        if (v == null) {
            c.appendMissing();
        } else {
            c.append(v);
        }
    }

    @Override
    public void close() {
        if (ownedCore != null) {
            ownedCore.close();
        }
    }

    @Override
    public String toString() {
        HeapIndex h = index;
        return "JavaScript[" + memory.source() + ", binary " + node.binary().path()
                + (h == null ? ", not scanned yet" : ", " + h.objectCount() + " objects") + "]";
    }
}
