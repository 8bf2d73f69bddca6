package dev.leakscope.heap;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Comparisons across snapshots of one process, by node id (V8 keeps an object's id for its whole life):
 * per-class diff, leaked objects (allocated between two snapshots, alive in a third) grouped by retainer path,
 * collections and objects that keep growing. Works for Node.js out of the box: no browser-only filters
 * (detached DOM, Window) — any object kind can leak.
 */
public final class LeakFinder {

    private LeakFinder() {
    }

    /** Per-class added/removed by id; see {@code Heap.compare}. */
    public static Table compare(Snapshot a, Snapshot b) {
        SameProcess.require(a.g, b.g);
        IdIndex ia = a.ids(), ib = b.ids();
        Map<String, long[]> rows = new HashMap<>(); // countBefore, countAfter, added, removed, addedSize, removedSize, sizeBefore, sizeAfter
        int[] ca = a.classOf(), cb = b.classOf();
        String[] na = a.classNames(), nb = b.classNames();
        long[][] byA = new long[na.length][];
        long[][] byB = new long[nb.length][];
        for (int c = 0; c < na.length; c++) {
            byA[c] = rows.computeIfAbsent(na[c], k -> new long[8]);
        }
        for (int c = 0; c < nb.length; c++) {
            byB[c] = rows.computeIfAbsent(nb[c], k -> new long[8]);
        }
        for (int i = 1; i < a.g.nodeCount; i++) {
            long[] r = byA[ca[i]];
            r[0]++;
            r[6] += a.g.selfSize(i);
        }
        for (int i = 1; i < b.g.nodeCount; i++) {
            long[] r = byB[cb[i]];
            r[1]++;
            r[7] += b.g.selfSize(i);
        }
        int p = 0, q = 0;
        int na2 = ia.size(), nb2 = ib.size();
        while (p < na2 || q < nb2) {
            int cmp = p >= na2 ? 1 : q >= nb2 ? -1 : Long.compare(ia.idAt(p), ib.idAt(q));
            if (cmp < 0) {
                int v = ia.nodeAt(p++);
                if (v != 0) {
                    long[] r = byA[ca[v]];
                    r[3]++;
                    r[5] += a.g.selfSize(v);
                }
            } else if (cmp > 0) {
                int v = ib.nodeAt(q++);
                if (v != 0) {
                    long[] r = byB[cb[v]];
                    r[2]++;
                    r[4] += b.g.selfSize(v);
                }
            } else {
                p++;
                q++;
            }
        }
        List<String> names = new ArrayList<>();
        for (var e : rows.entrySet()) {
            long[] r = e.getValue();
            if (r[2] != 0 || r[3] != 0) {
                names.add(e.getKey());
            }
        }
        names.sort((x, y) -> {
            long[] rx = rows.get(x), ry = rows.get(y);
            int c = Long.compare(ry[4] - ry[5], rx[4] - rx[5]);
            return c != 0 ? c : x.compareTo(y);
        });
        StringColumn cn = StringColumn.create("constructor");
        LongColumn cBefore = LongColumn.create("countBefore");
        LongColumn cAfter = LongColumn.create("countAfter");
        LongColumn added = LongColumn.create("added");
        LongColumn removed = LongColumn.create("removed");
        LongColumn delta = LongColumn.create("countDelta");
        LongColumn addedSize = LongColumn.create("addedSize");
        LongColumn removedSize = LongColumn.create("removedSize");
        LongColumn sizeDelta = LongColumn.create("sizeDelta");
        for (String n : names) {
            long[] r = rows.get(n);
            cn.append(n);
            cBefore.append(r[0]);
            cAfter.append(r[1]);
            added.append(r[2]);
            removed.append(r[3]);
            delta.append(r[2] - r[3]);
            addedSize.append(r[4]);
            removedSize.append(r[5]);
            sizeDelta.append(r[4] - r[5]);
        }
        return Table.create("compare", cn, cBefore, cAfter, added, removed, delta, addedSize, removedSize, sizeDelta);
    }

    /** Kinds a user can leak (and recognise): not VM internals, backing stores, code or shapes. */
    static boolean reportable(HeapGraph g, int type) {
        return type == g.ntObject || type == g.ntClosure || type == g.ntNative || type == g.ntRegexp
                || type == g.ntString || type == g.ntConsString || type == g.ntSlicedString
                || type == g.ntNumber || type == g.ntSymbol || type == g.ntBigint;
    }

    /** Nodes of {@code last} whose ids are in {@code target} but not in {@code baseline}. */
    static BitSet allocatedBetween(HeapGraph baseline, HeapGraph target, Snapshot last) {
        SameProcess.require(baseline, last.g);
        SameProcess.require(target, last.g);
        IdIndex b = baseline.ids();
        IdIndex t = target.ids();
        IdIndex l = last.ids();
        requireOldestFirst(baseline, target, "baseline, target, final");
        BitSet leaked = new BitSet(last.g.nodeCount);
        int pb = 0, pt = 0;
        for (int r = 0; r < l.size(); r++) {
            long id = l.idAt(r);
            while (pt < t.size() && t.idAt(pt) < id) {
                pt++;
            }
            if (pt >= t.size() || t.idAt(pt) != id) {
                continue;
            }
            while (pb < b.size() && b.idAt(pb) < id) {
                pb++;
            }
            if (pb < b.size() && b.idAt(pb) == id) {
                continue;
            }
            leaked.set(l.nodeAt(r));
        }
        leaked.clear(0);
        return leaked;
    }

    /**
     * V8 numbers heap objects in the order it first sees them: when {@code later}'s newest object is older than
     * {@code earlier}'s, it was taken first, and an answer across them would be empty (or list what was freed)
     * instead of the leak. Throws {@link IllegalArgumentException} naming both.
     */
    static void requireOldestFirst(HeapGraph earlier, HeapGraph later, String order) {
        long a = earlier.newestObjectId(), b = later.newestObjectId();
        if (a > b) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%s holds no object newer than %s (newest node ids %d and %d): it was taken first. Give the "
                            + "snapshots oldest first: %s", later.path, earlier.path, b, a, order));
        }
    }

    /** See {@code Heap.leaks}. */
    public static Table leaks(HeapGraph baseline, HeapGraph target, Snapshot last) {
        HeapGraph g = last.g;
        HeapIndex x = last.x;
        BitSet leaked = allocatedBetween(baseline, target, last);
        // the tops of leaked structures: leaked, reportable, and the nearest reportable dominator is not leaked
        BitSet roots = new BitSet(g.nodeCount);
        for (int v = leaked.nextSetBit(0); v >= 0; v = leaked.nextSetBit(v + 1)) {
            if (!reportable(g, g.nodeType[v]) || x.distance[v] == HeapIndex.UNREACHABLE) {
                continue;
            }
            int u = x.idom[v];
            int guard = 0;
            while (u != 0 && !reportable(g, g.nodeType[u]) && guard++ < 10_000) {
                u = x.idom[u];
            }
            if (u == 0 || !leaked.get(u)) {
                roots.set(v);
            }
        }
        Map<String, long[]> groups = new LinkedHashMap<>(); // count, retained, shallow, exampleNode
        Map<String, String[]> keys = new HashMap<>();
        Map<Integer, List<String[]>> prefix = new HashMap<>();
        BitSet keyed = keyedHolders(last, roots);
        for (int v = roots.nextSetBit(0); v >= 0; v = roots.nextSetBit(v + 1)) {
            String cls = Snapshot.missingAsOne(last.className(v));
            String[] sig = signature(last, v, prefix, keyed);
            String path = sig[0];
            String key = cls + "\u0000" + path;
            long[] agg = groups.computeIfAbsent(key, k -> new long[]{0, 0, 0, -1});
            agg[0]++;
            // no double counting: a root under another root's dominator subtree is inside that one's retained size
            if (!dominatedByRoot(x, roots, v)) {
                agg[1] += x.retained(v);
            }
            agg[2] += g.selfSize(v);
            if (agg[3] < 0 || x.retained(v) > x.retained((int) agg[3])) {
                agg[3] = v;
            }
            String[] shown = keys.putIfAbsent(key, new String[]{cls, sig[1]});
            if (shown != null && !sig[1].equals(path) && shown[1].equals(path)) {
                shown[1] = sig[1]; // show the group with the marks of a collapsed chain where a member has one
            }
        }
        List<String> order = new ArrayList<>(groups.keySet());
        order.sort((a, b) -> Long.compare(groups.get(b)[1], groups.get(a)[1]));
        StringColumn cn = StringColumn.create("constructor");
        LongColumn cnt = LongColumn.create("count");
        LongColumn ret = LongColumn.create("retainedSize");
        LongColumn sh = LongColumn.create("shallowSize");
        LongColumn ex = LongColumn.create("exampleId");
        StringColumn path = StringColumn.create("retainerPath");
        for (String k : order) {
            long[] agg = groups.get(k);
            cn.append(keys.get(k)[0]);
            cnt.append(agg[0]);
            ret.append(agg[1]);
            sh.append(agg[2]);
            ex.append(g.id((int) agg[3]));
            path.append(keys.get(k)[1]);
        }
        return Table.create("leaks", cn, cnt, ret, sh, ex, path);
    }

    private static boolean dominatedByRoot(HeapIndex x, BitSet roots, int v) {
        int u = x.idom[v];
        int guard = 0;
        while (u != 0 && guard++ < 100_000) {
            if (roots.get(u)) {
                return true;
            }
            u = x.idom[u];
        }
        return false;
    }

    /** Holders with at least this many keyed children on leaked paths are collections: their keys are not shown. */
    static final int KEYED_HOLDER_MIN = 8;

    /**
     * Objects used as dictionaries on the retainer paths of the leaked tops ({@code cache['user:42'] = entry}): at
     * least {@link #KEYED_HOLDER_MIN} different nodes on those paths hang off them by property edges. Their keys
     * are data, not structure, so paths through them are grouped with the key written {@code [key]}, as element
     * indexes are written {@code []}. Walks each path up to the first node already seen: linear in the paths' union.
     */
    private static BitSet keyedHolders(Snapshot s, BitSet roots) {
        int[] bfs = s.x.bfsEdge();
        BitSet seen = new BitSet(s.g.nodeCount);
        it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap children = new it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap();
        BitSet keyed = new BitSet();
        for (int v = roots.nextSetBit(0); v >= 0; v = roots.nextSetBit(v + 1)) {
            int u = v;
            while (u != 0 && !seen.get(u) && bfs[u] >= 0) {
                seen.set(u);
                int e = bfs[u];
                int from = s.source(e);
                if ((s.g.edgeType[e] & 0xff) == s.g.etProperty && children.addTo(from, 1) + 1 >= KEYED_HOLDER_MIN) {
                    keyed.set(from);
                }
                u = from;
            }
        }
        return keyed;
    }

    /**
     * The normalized retainer path of {@code v}, as {key, shown}: element indexes, ids and the keys of {@code keyed}
     * holders dropped, and a run of equal steps or blocks of up to {@link #MAX_BLOCK} steps ({@code --_idleNext-->
     * Timeout}, a linked list; {@code --replies--> Array --[]--> Comment}, a tree) written once, so objects held the
     * same way at any depth of a list or tree group together; {@code shown} marks each collapsed run with
     * {@code --…-->}.
     */
    private static String[] signature(Snapshot s, int v, Map<Integer, List<String[]>> memo, BitSet keyed) {
        if (s.x.bfsEdge()[v] < 0) {
            String p = s.pathText(v, true);
            return new String[]{p, p};
        }
        StringBuilder key = new StringBuilder(), shown = new StringBuilder();
        for (String[] st : collapsedSteps(s, v, memo, keyed)) {
            if (st[0] != null) {
                key.append(" --").append(st[0]).append("--> ");
                shown.append(" --").append(st[0]).append("--> ");
            }
            key.append(st[1]);
            shown.append(st[1]);
            if (st[2] != null) {
                shown.append(" --…--> ").append(st[1]);
            }
        }
        return new String[]{key.toString().strip(), shown.toString().strip()};
    }

    /** Longest block of steps whose repetition is collapsed in a retainer path. */
    static final int MAX_BLOCK = 3;

    /**
     * The collapsed steps {edge label or null for the first node, node label, mark or null} from the root to
     * {@code v} along the BFS tree, each node's from its parent's (memoized): a long linked list costs its length,
     * not its length squared. Appending a step that completes a repetition of the block before it drops the
     * repetition and marks the block's last step.
     */
    private static List<String[]> collapsedSteps(Snapshot s, int v, Map<Integer, List<String[]>> memo, BitSet keyed) {
        int[] bfs = s.x.bfsEdge();
        java.util.ArrayDeque<Integer> chain = new java.util.ArrayDeque<>();
        int u = v;
        while (!memo.containsKey(u)) {
            chain.push(u);
            if (u == 0 || bfs[u] < 0 || chain.size() > s.g.nodeCount) {
                break;
            }
            u = s.source(bfs[u]);
        }
        while (!chain.isEmpty()) {
            int w = chain.pop();
            List<String[]> steps;
            if (w == 0) {
                steps = List.of();
            } else if (bfs[w] < 0) {
                steps = java.util.Collections.singletonList(new String[]{null, nodeText(s, w), null});
            } else {
                int e = bfs[w];
                List<String[]> up = memo.get(s.source(e));
                if (up == null) { // the walk up stopped early (a cycle in a damaged snapshot): start here
                    up = List.of();
                }
                List<String[]> l = new ArrayList<>(up.size() + 1);
                l.addAll(up);
                l.add(new String[]{l.isEmpty() ? null : stepEdge(s, e, keyed), nodeText(s, w), null});
                collapseTail(l);
                steps = List.copyOf(l);
            }
            memo.put(w, steps);
        }
        return memo.get(v);
    }

    /** Drops a block of 1-{@link #MAX_BLOCK} steps at the end that repeats the block before it (marking that one). */
    private static void collapseTail(List<String[]> l) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int p = 1; p <= MAX_BLOCK && !changed; p++) {
                int n = l.size();
                if (n - 2 * p < 0 || l.get(n - 2 * p)[0] == null) {
                    continue; // the path's first node has no edge into it: never part of a block
                }
                boolean same = true;
                for (int k = 0; k < p && same; k++) {
                    String[] a = l.get(n - 2 * p + k), b = l.get(n - p + k);
                    same = java.util.Objects.equals(a[0], b[0]) && a[1].equals(b[1]);
                }
                if (same) {
                    l.subList(n - p, n).clear();
                    String[] last = l.get(n - p - 1);
                    l.set(n - p - 1, new String[]{last[0], last[1], "…"});
                    changed = true;
                }
            }
        }
    }

    private static String stepEdge(Snapshot s, int e, BitSet keyed) {
        if ((s.g.edgeType[e] & 0xff) == s.g.etProperty && keyed.get(s.source(e)) && !s.g.isIndexEdge(e)) {
            String label = s.edgeLabel(e, true);
            return label.equals("[]") ? label : "[key]";
        }
        return s.edgeLabel(e, true);
    }

    private static String nodeText(Snapshot s, int node) {
        return s.g.isStringType(s.g.nodeType[node]) || s.g.nodeType[node] == s.g.ntNumber ? s.className(node)
                : Snapshot.missingAsOne(s.label(node));
    }

    /** See {@code Heap.growingCollections}. */
    public static Table growingCollections(HeapGraph[] earlier, Snapshot last) {
        HeapGraph g = last.g;
        for (int k = 0; k < earlier.length; k++) {
            SameProcess.require(earlier[k], g);
            requireOldestFirst(earlier[k], k + 1 < earlier.length ? earlier[k + 1] : g, "in time order");
            HeapIndex.computeSlots(earlier[k]);
        }
        HeapIndex.computeSlots(g);
        List<int[]> rows = new ArrayList<>(); // node, slots...
        for (int i = 1; i < g.nodeCount; i++) {
            int t = g.nodeType[i];
            if ((t != g.ntObject && t != g.ntNative) || g.slots[i] < 8) {
                continue;
            }
            int[] series = new int[earlier.length + 1];
            series[earlier.length] = g.slots[i];
            boolean ok = true;
            for (int k = earlier.length - 1; k >= 0 && ok; k--) {
                int sl = earlier[k].slotsOfId(g.id(i));
                if (sl < 0) {
                    ok = false;
                } else {
                    series[k] = sl;
                    ok = series[k] < series[k + 1];
                }
            }
            if (ok && series[earlier.length] - series[0] >= 2) {
                int[] row = new int[series.length + 1];
                row[0] = i;
                System.arraycopy(series, 0, row, 1, series.length);
                rows.add(row);
            }
        }
        rows.sort((a, b) -> Integer.compare(b[b.length - 1] - b[1], a[a.length - 1] - a[1]));
        LongColumn id = LongColumn.create("id");
        StringColumn cn = StringColumn.create("constructor");
        StringColumn path = StringColumn.create("retainerPath");
        IntColumn first = IntColumn.create("firstSlots");
        IntColumn lastSlots = IntColumn.create("lastSlots");
        IntColumn growth = IntColumn.create("growth");
        StringColumn series = StringColumn.create("slotsBySnapshot");
        LongColumn ret = LongColumn.create("retainedSize");
        for (int r = 0; r < Math.min(rows.size(), 100); r++) {
            int[] row = rows.get(r);
            int v = row[0];
            id.append(g.id(v));
            cn.append(last.className(v));
            path.append(last.pathText(v, false));
            first.append(row[1]);
            lastSlots.append(row[row.length - 1]);
            growth.append(row[row.length - 1] - row[1]);
            StringJoiner j = new StringJoiner(" → ");
            for (int k = 1; k < row.length; k++) {
                j.add(Integer.toString(row[k]));
            }
            series.append(j.toString());
            ret.append(last.x.retained(v));
        }
        return Table.create("growingCollections", id, cn, path, first, lastSlots, growth, series, ret);
    }

    /** See {@code Heap.growingObjects}. */
    public static Table growingObjects(Snapshot[] ss, int top) {
        for (int k = 0; k + 1 < ss.length; k++) {
            requireOldestFirst(ss[k].g, ss[k + 1].g, "in time order");
        }
        Snapshot last = ss[ss.length - 1];
        HeapGraph g = last.g;
        List<long[]> rows = new ArrayList<>();
        for (int i = 1; i < g.nodeCount; i++) {
            int t = g.nodeType[i];
            if (!(t == g.ntObject || t == g.ntClosure || t == g.ntNative) || last.x.distance[i] == HeapIndex.UNREACHABLE) {
                continue;
            }
            long[] series = new long[ss.length];
            series[ss.length - 1] = last.x.retained(i);
            boolean ok = true;
            for (int k = ss.length - 2; k >= 0 && ok; k--) {
                int n = ss[k].ids().node(g.id(i));
                if (n < 0) {
                    ok = false;
                } else {
                    series[k] = ss[k].x.retained(n);
                    ok = series[k] < series[k + 1];
                }
            }
            if (ok) {
                long[] row = new long[series.length + 1];
                row[0] = i;
                System.arraycopy(series, 0, row, 1, series.length);
                rows.add(row);
            }
        }
        rows.sort((a, b) -> Long.compare(b[b.length - 1] - b[1], a[a.length - 1] - a[1]));
        LongColumn id = LongColumn.create("id");
        StringColumn cn = StringColumn.create("constructor");
        StringColumn name = StringColumn.create("name");
        LongColumn first = LongColumn.create("firstRetained");
        LongColumn lastR = LongColumn.create("lastRetained");
        LongColumn growth = LongColumn.create("growth");
        StringColumn series = StringColumn.create("retainedBySnapshot");
        StringColumn path = StringColumn.create("retainerPath");
        for (int r = 0; r < Math.min(rows.size(), top); r++) {
            long[] row = rows.get(r);
            int v = (int) row[0];
            id.append(g.id(v));
            cn.append(last.className(v));
            name.append(last.label(v));
            first.append(row[1]);
            lastR.append(row[row.length - 1]);
            growth.append(row[row.length - 1] - row[1]);
            StringJoiner j = new StringJoiner(" → ");
            for (int k = 1; k < row.length; k++) {
                j.add(Long.toString(row[k]));
            }
            series.append(j.toString());
            path.append(last.pathText(v, false));
        }
        return Table.create("growingObjects", id, cn, name, first, lastR, growth, series, path);
    }
}
