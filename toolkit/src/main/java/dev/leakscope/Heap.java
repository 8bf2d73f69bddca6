package dev.leakscope;

import dev.leakscope.heap.HeapGraph;
import dev.leakscope.heap.HeapIndex;
import dev.leakscope.heap.IndexCache;
import dev.leakscope.heap.LeakFinder;
import dev.leakscope.heap.Snapshot;
import dev.leakscope.heap.SnapshotReader;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * A V8 heap snapshot ({@code .heapsnapshot}, also {@code .gz}) as tables: DevTools' Summary with retained sizes,
 * objects of a class, retainer paths, the dominator tree, strings, closures; and across snapshots of one
 * process: {@link #compare}, {@link #leaks} and growth. Opening streams the JSON into primitive arrays and
 * builds the indexes once; they are cached (see {@link IndexCache}) so reopening is fast. Immutable.
 */
public final class Heap {

    private final Snapshot s;
    private final boolean fromCache;

    private Heap(Snapshot s, boolean fromCache) {
        this.s = s;
        this.fromCache = fromCache;
    }

    /** Opens a snapshot: from the index cache when it is current, else parses and indexes it (and caches). */
    public static Heap open(Path path) {
        Objects.requireNonNull(path, "path");
        SnapshotReader.requireReadableFile(path);
        IndexCache.Entry cached = IndexCache.load(path);
        if (cached != null) {
            return new Heap(new Snapshot(cached.graph(), cached.index()), true);
        }
        HeapGraph g = SnapshotReader.read(path, SnapshotReader.Mode.FULL);
        // the cache writer saves the graph on the other core while this thread builds the index
        CompletableFuture<HeapIndex> index = new CompletableFuture<>();
        IndexCache.saveLater(g, index);
        HeapIndex x;
        try {
            x = HeapIndex.build(g);
        } catch (RuntimeException | Error e) {
            index.completeExceptionally(e);
            throw e;
        }
        index.complete(x);
        return new Heap(new Snapshot(g, x), false);
    }

    /** Opens a snapshot by file name. */
    public static Heap open(String path) {
        return open(Paths.get(path));
    }

    /** Internal model (for the leak finder and tests). */
    public Snapshot model() {
        return s;
    }

    // ---- one snapshot ----

    /** One row: path, nodes, edges, strings, totalSize, nodeFields, warnings, cached. */
    public Table info() {
        HeapGraph g = s.g;
        return Table.create("info",
                StringColumn.create("path", List.of(g.path.toString())),
                LongColumn.create("nodes", new long[]{g.nodeCount}),
                LongColumn.create("edges", new long[]{g.edgeCount}),
                LongColumn.create("strings", new long[]{g.strings.size()}),
                LongColumn.create("totalSize", new long[]{g.totalSize()}),
                IntColumn.create("nodeFields", new int[]{g.nodeFieldCount}),
                IntColumn.create("warnings", new int[]{g.warnings.size()}),
                StringColumn.create("cached", List.of(Boolean.toString(fromCache))));
    }

    /** Number of nodes. */
    public int nodeCount() {
        return s.g.nodeCount;
    }

    /** Number of edges. */
    public int edgeCount() {
        return s.g.edgeCount;
    }

    /** Damage found while reading: offset (hex, empty when not tied to one place), structure, message. */
    public Table warnings() {
        StringColumn off = StringColumn.create("offset");
        StringColumn st = StringColumn.create("structure");
        StringColumn msg = StringColumn.create("message");
        for (HeapGraph.Warning w : s.g.warnings) {
            off.append(w.offset() >= 0 ? "0x" + Long.toHexString(w.offset()) : "");
            st.append(w.structure());
            msg.append(w.message());
        }
        return Table.create("warnings", off, st, msg);
    }

    /**
     * DevTools' Summary: per constructor (class) the count, shallowSize, retainedSize (nested objects of the same
     * class are not counted twice) and the smallest distance from the root; sorted by retained size. The
     * synthetic root itself is left out.
     */
    public Table summary() {
        HeapGraph g = s.g;
        HeapIndex x = s.x;
        int[] cls = s.classOf();
        String[] names = s.classNames();
        int k = names.length;
        long[] count = new long[k];
        long[] shallow = new long[k];
        long[] retained = new long[k];
        int[] dist = new int[k];
        Arrays.fill(dist, HeapIndex.UNREACHABLE);
        for (int i = 1; i < g.nodeCount; i++) {
            int c = cls[i];
            count[c]++;
            shallow[c] += g.selfSize(i);
            if (x.distance[i] < dist[c]) {
                dist[c] = x.distance[i];
            }
        }
        // walk the dominator tree; a node adds its retained size unless an ancestor has the same class
        int[] onPath = new int[k];
        int[] stack = new int[1024];
        int sp = 0;
        int[] domFirst = x.domFirst(), domChild = x.domChild();
        for (int r = domFirst[0]; r < domFirst[1]; r++) {
            stack = push(stack, sp++, domChild[r]);
        }
        while (sp > 0) {
            int v = stack[--sp];
            if (v < 0) {
                onPath[cls[~v]]--;
                continue;
            }
            int c = cls[v];
            if (onPath[c]++ == 0) {
                retained[c] += x.retained(v);
            }
            stack = push(stack, sp++, ~v);
            for (int r = domFirst[v]; r < domFirst[v + 1]; r++) {
                stack = push(stack, sp++, domChild[r]);
            }
        }
        Integer[] order = new Integer[k];
        int m = 0;
        for (int c = 0; c < k; c++) {
            if (count[c] > 0) {
                order[m++] = c;
            }
        }
        Integer[] sorted = Arrays.copyOf(order, m);
        Arrays.sort(sorted, (a, b) -> retained[b] != retained[a] ? Long.compare(retained[b], retained[a])
                : names[a].compareTo(names[b]));
        StringColumn name = StringColumn.create("constructor");
        LongColumn cnt = LongColumn.create("count");
        LongColumn sh = LongColumn.create("shallowSize");
        LongColumn ret = LongColumn.create("retainedSize");
        IntColumn di = IntColumn.create("distance");
        for (int c : sorted) {
            name.append(names[c]);
            cnt.append(count[c]);
            sh.append(shallow[c]);
            ret.append(retained[c]);
            if (dist[c] == HeapIndex.UNREACHABLE) {
                di.appendMissing();
            } else {
                di.append(dist[c]);
            }
        }
        return Table.create("summary", name, cnt, sh, ret, di);
    }

    private static int[] push(int[] stack, int at, int v) {
        if (at == stack.length) {
            stack = Arrays.copyOf(stack, stack.length * 2);
        }
        stack[at] = v;
        return stack;
    }

    /** Objects of class {@code constructor} (as in {@link #summary()}): id, name, shallowSize, retainedSize, distance; largest first. */
    public Table objects(String constructor) {
        HeapGraph g = s.g;
        int[] cls = s.classOf();
        String[] names = s.classNames();
        int c = Arrays.asList(names).indexOf(constructor);
        List<Integer> nodes = new ArrayList<>();
        if (c >= 0) {
            for (int i = 1; i < g.nodeCount; i++) {
                if (cls[i] == c) {
                    nodes.add(i);
                }
            }
        }
        nodes.sort((a, b) -> Long.compare(s.x.retained(b), s.x.retained(a)));
        return nodeTable("objects", nodes);
    }

    private Table nodeTable(String title, List<Integer> nodes) {
        HeapGraph g = s.g;
        LongColumn id = LongColumn.create("id");
        StringColumn name = StringColumn.create("name");
        LongColumn sh = LongColumn.create("shallowSize");
        LongColumn ret = LongColumn.create("retainedSize");
        IntColumn di = IntColumn.create("distance");
        for (int i : nodes) {
            id.append(g.id(i));
            name.append(s.label(i));
            sh.append(g.selfSize(i));
            ret.append(s.x.retained(i));
            appendDistance(di, i);
        }
        return Table.create(title, id, name, sh, ret, di);
    }

    private void appendDistance(IntColumn di, int node) {
        int d = s.x.distance[node];
        if (d == HeapIndex.UNREACHABLE) {
            di.appendMissing();
        } else {
            di.append(d);
        }
    }

    private int node(long id) {
        int n = s.ids().node(id);
        if (n < 0) {
            throw new IllegalArgumentException("no object with id " + id + " in " + s.g.path);
        }
        return n;
    }

    /** Retainer paths of object {@code id} to the GC roots, shortest first (at most 10). */
    public Table retainers(long id) {
        return retainers(id, 10);
    }

    /**
     * Up to {@code maxPaths} retainer paths of object {@code id}, shortest first: one per direct retainer,
     * continued along the shortest path to the root. Rows: path, step (1 = direct retainer), edgeType, edge,
     * id, constructor, name, distance. Weak edges do not retain and are not followed.
     */
    public Table retainers(long id, int maxPaths) {
        HeapGraph g = s.g;
        HeapIndex x = s.x;
        int target = node(id);
        List<Integer> direct = new ArrayList<>();
        for (int r = x.retFirst()[target]; r < x.retFirst()[target + 1]; r++) {
            int src = x.retSrc()[r];
            if (!direct.contains(src)) {
                direct.add(src);
            }
        }
        direct.sort((a, b) -> Integer.compare(x.distance[a], x.distance[b]));
        IntColumn path = IntColumn.create("path");
        IntColumn step = IntColumn.create("step");
        StringColumn et = StringColumn.create("edgeType");
        StringColumn en = StringColumn.create("edge");
        LongColumn rid = LongColumn.create("id");
        StringColumn cn = StringColumn.create("constructor");
        StringColumn nm = StringColumn.create("name");
        IntColumn di = IntColumn.create("distance");
        int p = 0;
        for (int r : direct) {
            if (p >= maxPaths) {
                break;
            }
            p++;
            int to = target;
            int from = r;
            int st = 0;
            int guard = 0;
            while (guard++ < 100_000) {
                int e = edgeBetween(from, to);
                st++;
                path.append(p);
                step.append(st);
                et.append(e >= 0 ? g.edgeTypeName(e) : "");
                en.append(e >= 0 ? s.edgeLabel(e, false) : "");
                rid.append(g.id(from));
                cn.append(s.className(from));
                nm.append(s.label(from));
                appendDistance(di, from);
                if (from == 0 || x.bfsEdge()[from] < 0) {
                    break;
                }
                to = from;
                from = s.source(x.bfsEdge()[from]);
            }
        }
        return Table.create("retainers", path, step, et, en, rid, cn, nm, di);
    }

    /** A retaining edge from {@code from} to {@code to}, preferring named ones. */
    private int edgeBetween(int from, int to) {
        HeapGraph g = s.g;
        int best = -1;
        for (int e = g.firstEdge[from]; e < g.firstEdge[from + 1]; e++) {
            if (g.edgeTo[e] == to && s.x.isEssential(e)) {
                if (best < 0 || (g.isIndexEdge(best) && !g.isIndexEdge(e))) {
                    best = e;
                }
            }
        }
        return best;
    }

    /** Objects that {@code id} dominates (what would be freed with it): id, constructor, name, shallowSize, retainedSize. */
    public Table dominated(long id) {
        int v = node(id);
        List<Integer> nodes = new ArrayList<>();
        for (int r = s.x.domFirst()[v]; r < s.x.domFirst()[v + 1]; r++) {
            nodes.add(s.x.domChild()[r]);
        }
        nodes.sort((a, b) -> Long.compare(s.x.retained(b), s.x.retained(a)));
        Table t = nodeTable("dominated", nodes);
        StringColumn cn = StringColumn.create("constructor");
        for (int i : nodes) {
            cn.append(s.className(i));
        }
        t.insertColumn(1, cn);
        return t;
    }

    /** Outgoing edges of {@code id}: edgeType, edge, id, constructor, name, shallowSize, retainedSize. */
    public Table edges(long id) {
        HeapGraph g = s.g;
        int v = node(id);
        StringColumn et = StringColumn.create("edgeType");
        StringColumn en = StringColumn.create("edge");
        LongColumn tid = LongColumn.create("id");
        StringColumn cn = StringColumn.create("constructor");
        StringColumn nm = StringColumn.create("name");
        LongColumn sh = LongColumn.create("shallowSize");
        LongColumn ret = LongColumn.create("retainedSize");
        for (int e = g.firstEdge[v]; e < g.firstEdge[v + 1]; e++) {
            int w = g.edgeTo[e];
            et.append(g.edgeTypeName(e));
            en.append(s.edgeLabel(e, false));
            tid.append(g.id(w));
            cn.append(s.className(w));
            nm.append(s.label(w));
            sh.append(g.selfSize(w));
            ret.append(s.x.retained(w));
        }
        return Table.create("edges", et, en, tid, cn, nm, sh, ret);
    }

    /** The shortest retainer path of {@code id} as one line of text (memlab style). */
    public String path(long id) {
        return s.pathText(node(id), false);
    }

    /** The strings in the snapshot (string objects), to filter with {@link HeapStrings#grep}. */
    public HeapStrings strings() {
        return new HeapStrings(s, null, 0);
    }

    /**
     * Strings held more than once: text, count (string objects with that value), shallowSize (all copies),
     * wastedSize (all but one copy); most wasted first.
     */
    public Table duplicateStrings() {
        HeapGraph g = s.g;
        int sn = g.strings.size();
        int[] count = new int[sn];
        long[] size = new long[sn];
        for (int i = 0; i < g.nodeCount; i++) {
            if (g.nodeType[i] == g.ntString) {
                int k = g.nodeName[i];
                if (k >= 0 && k < sn) {
                    count[k]++;
                    size[k] += g.selfSize(i);
                }
            }
        }
        List<Integer> dup = new ArrayList<>();
        for (int k = 0; k < sn; k++) {
            if (count[k] > 1) {
                dup.add(k);
            }
        }
        dup.sort((a, b) -> Long.compare(size[b] - size[b] / count[b], size[a] - size[a] / count[a]));
        StringColumn text = StringColumn.create("text");
        LongColumn cnt = LongColumn.create("count");
        LongColumn sh = LongColumn.create("shallowSize");
        LongColumn wasted = LongColumn.create("wastedSize");
        for (int k : dup) {
            text.append(HeapStrings.clip(g.strings.get(k)));
            cnt.append(count[k]);
            sh.append(size[k]);
            wasted.append(size[k] - size[k] / count[k]);
        }
        return Table.create("duplicateStrings", text, cnt, sh, wasted);
    }

    /**
     * Closures grouped by function and source location: name, script, line, column (1-based, where the snapshot
     * has locations), count, shallowSize, retainedSize; largest retained first.
     */
    public Table closures() {
        HeapGraph g = s.g;
        Map<Integer, int[]> loc = new HashMap<>();
        for (int i = 0; i + 3 < g.locations.length; i += 4) {
            loc.put(g.locations[i], new int[]{g.locations[i + 1], g.locations[i + 2], g.locations[i + 3]});
        }
        Map<String, long[]> groups = new LinkedHashMap<>();
        Map<String, String[]> keys = new HashMap<>();
        for (int i = 0; i < g.nodeCount; i++) {
            if (g.nodeType[i] != g.ntClosure) {
                continue;
            }
            String name = g.name(i);
            int[] l = loc.get(i);
            String script = scriptOf(i);
            String key = name + "\u0000" + script + "\u0000" + (l == null ? "" : l[1] + ":" + l[2]);
            long[] agg = groups.computeIfAbsent(key, k -> new long[3]);
            agg[0]++;
            agg[1] += g.selfSize(i);
            agg[2] += s.x.retained(i);
            keys.putIfAbsent(key, new String[]{name.isEmpty() ? "(anonymous)" : name, script,
                    l == null ? "" : Integer.toString(l[1] + 1), l == null ? "" : Integer.toString(l[2] + 1)});
        }
        List<String> order = new ArrayList<>(groups.keySet());
        order.sort((a, b) -> Long.compare(groups.get(b)[2], groups.get(a)[2]));
        StringColumn name = StringColumn.create("name");
        StringColumn script = StringColumn.create("script");
        IntColumn line = IntColumn.create("line");
        IntColumn col = IntColumn.create("column");
        LongColumn cnt = LongColumn.create("count");
        LongColumn sh = LongColumn.create("shallowSize");
        LongColumn ret = LongColumn.create("retainedSize");
        for (String k : order) {
            String[] kk = keys.get(k);
            long[] agg = groups.get(k);
            name.append(kk[0]);
            script.append(kk[1]);
            if (kk[2].isEmpty()) {
                line.appendMissing();
                col.appendMissing();
            } else {
                line.append(Integer.parseInt(kk[2]));
                col.append(Integer.parseInt(kk[3]));
            }
            cnt.append(agg[0]);
            sh.append(agg[1]);
            ret.append(agg[2]);
        }
        return Table.create("closures", name, script, line, col, cnt, sh, ret);
    }

    /** The script name of a closure: shared → script_or_debug_info (or script) → its name. */
    private String scriptOf(int closure) {
        HeapGraph g = s.g;
        int shared = namedEdge(closure, "shared");
        if (shared < 0) {
            return "";
        }
        int script = namedEdge(shared, "script_or_debug_info");
        if (script < 0) {
            script = namedEdge(shared, "script");
        }
        if (script < 0) {
            return "";
        }
        String n = g.name(script);
        if (n.startsWith("system / ")) {
            int nameNode = namedEdge(script, "name");
            return nameNode >= 0 ? g.name(nameNode) : "";
        }
        return n;
    }

    private int namedEdge(int from, String name) {
        HeapGraph g = s.g;
        for (int e = g.firstEdge[from]; e < g.firstEdge[from + 1]; e++) {
            if (!g.isIndexEdge(e) && name.equals(g.string(g.edgeName[e]))) {
                return g.edgeTo[e];
            }
        }
        return -1;
    }

    // ---- across snapshots ----

    /**
     * What changed from {@code before} to {@code after}, by node id (stable within one process): per constructor
     * countBefore, countAfter, added, removed, countDelta, addedSize, removedSize, sizeDelta; largest growth first.
     * Snapshots of different processes throw {@link IllegalArgumentException}.
     */
    public static Table compare(Heap before, Heap after) {
        return LeakFinder.compare(before.s, after.s);
    }

    /**
     * Objects allocated between {@code baseline} and {@code target} (ids in target, not in baseline) that are
     * still alive in {@code last}, reduced to the top of each leaked structure (objects not dominated by another
     * leaked object) and grouped by constructor and retainer path: constructor, count, retainedSize, shallowSize,
     * exampleId, retainerPath; largest retained first. Needs no filter: it finds plain Node.js leaks (a growing
     * Map, Set, array, listener closures, an object used as a cache, timers never cleared). Paths are grouped with
     * indexes as {@code []}, the keys of an object holding many leaked entries as {@code [key]}, and the repeated
     * steps of a linked list or tree once ({@code --_idleNext--> Timeout --…--> Timeout}). Give the snapshots oldest first
     * (a target older than the baseline throws {@link IllegalArgumentException}). The snapshots must come from one process (node ids are
     * per process): snapshots of different processes throw {@link IllegalArgumentException}.
     */
    public static Table leaks(Heap baseline, Heap target, Heap last) {
        return LeakFinder.leaks(baseline.s.g, target.s.g, last.s);
    }

    /**
     * {@link #leaks(Heap, Heap, Heap)} straight from files: baseline and target are only streamed for their ids
     * (on a second core, while {@code last} is opened), so three big snapshots never sit in memory together.
     */
    public static Table leaks(Path baseline, Path target, Path last) {
        CompletableFuture<HeapGraph[]> ids = CompletableFuture.supplyAsync(() -> new HeapGraph[]{
                SnapshotReader.read(baseline, SnapshotReader.Mode.IDS),
                SnapshotReader.read(target, SnapshotReader.Mode.IDS)});
        Heap f = open(last);
        HeapGraph[] bt = join(ids);
        return LeakFinder.leaks(bt[0], bt[1], f.s);
    }

    /** {@link #leaks(Path, Path, Path)} with file names. */
    public static Table leaks(String baseline, String target, String last) {
        return leaks(Paths.get(baseline), Paths.get(target), Paths.get(last));
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /**
     * Collections (Maps, Sets, arrays, objects used as dictionaries) present in every snapshot by id whose
     * number of entries grows at every step: id, constructor, retainerPath, firstSlots, lastSlots, growth,
     * slotsBySnapshot, retainedSize (in the last snapshot); largest growth first. Snapshots in time order (newest
     * first throws {@link IllegalArgumentException}).
     */
    public static Table growingCollections(Heap... snapshots) {
        HeapGraph[] gs = new HeapGraph[snapshots.length - 1];
        for (int i = 0; i < gs.length; i++) {
            gs[i] = snapshots[i].s.g;
        }
        return LeakFinder.growingCollections(gs, snapshots[snapshots.length - 1].s);
    }

    /** {@link #growingCollections(Heap...)} from files: all but the last are only streamed for ids and sizes. */
    public static Table growingCollections(Path... snapshots) {
        HeapGraph[] gs = new HeapGraph[snapshots.length - 1];
        CompletableFuture<Void> light = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < gs.length; i++) {
                gs[i] = SnapshotReader.read(snapshots[i], SnapshotReader.Mode.IDS);
            }
        });
        Heap last = open(snapshots[snapshots.length - 1]);
        join(light);
        return LeakFinder.growingCollections(gs, last.s);
    }

    /**
     * Objects present in every snapshot whose retained size grows at every step: id, constructor, name,
     * firstRetained, lastRetained, growth, retainedBySnapshot, retainerPath; largest growth first (top 100).
     */
    public static Table growingObjects(Heap... snapshots) {
        Snapshot[] ss = new Snapshot[snapshots.length];
        for (int i = 0; i < ss.length; i++) {
            ss[i] = snapshots[i].s;
        }
        return LeakFinder.growingObjects(ss, 100);
    }

    @Override
    public String toString() {
        return "Heap[" + s.g.path + ": " + s.g.nodeCount + " nodes, " + s.g.edgeCount + " edges]";
    }

    static Pattern regex(String re) {
        return Pattern.compile(re);
    }
}
