package dev.leakscope.heap;

import dev.leakscope.Progress;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What DevTools computes over a snapshot's graph, in primitive arrays: the dominator tree (Lengauer–Tarjan with
 * path compression, semi-NCA finish), retained sizes and the BFS distance from the root. Edges follow DevTools'
 * rules: weak edges, shortcut edges (except from the root), self edges and WeakMap table→value edges do not
 * retain. Nodes unreachable from the root hang off the root. What only some queries need — the retainers
 * (reverse edges), a shortest-path parent per node, the dominator tree's child lists — is built on first use, so a
 * summary never holds them. The dominator pass works in DFS numbers with its retainer lists in DFS numbers too, so
 * its peak is six int arrays over nodes plus one over essential edges.
 */
public final class HeapIndex {

    private static final Pattern WEAKMAP_EDGE = Pattern.compile(
            "^\\d+ / part of key \\(.*? @\\d+\\) -> value \\(.*? @\\d+\\) pair in WeakMap \\(table @(\\d+)\\)$");

    /** The graph this index is over. */
    HeapGraph g;
    /** Essential (retaining) edges, one bit per edge. */
    public long[] essential;
    /** BFS distance from the root over essential edges; {@link #UNREACHABLE} when not reachable. */
    public int[] distance;
    /** Immediate dominator (node index); the root dominates itself. */
    public int[] idom;
    /** Retained size per node when ≥ 0, else {@code ~k}: the size is {@code bigRetained[k]} (over 2 GB). */
    int[] retainedSmall;
    long[] bigRetained = new long[0];

    private volatile int[] retFirst, retSrc, bfsEdge, domFirst, domChild;

    public static final int UNREACHABLE = Integer.MAX_VALUE;

    static final boolean TIMING = Boolean.getBoolean("leakscope.timing");

    private HeapIndex() {
    }

    /** An index to be filled by the cache reader. */
    static HeapIndex empty(HeapGraph g) {
        HeapIndex x = new HeapIndex();
        x.g = g;
        return x;
    }

    /** Builds the dominator tree, retained sizes and distances over {@code g}. */
    public static HeapIndex build(HeapGraph g) {
        HeapIndex x = new HeapIndex();
        x.g = g;
        try (Progress p = Progress.start("indexing " + g.path.getFileName(), 3)) {
            long t0 = System.nanoTime();
            x.essential = essentialEdges(g);
            long t1 = System.nanoTime();
            p.step(1);
            p.checkCancelled();
            int[] spare = x.dominators(g);
            long t2 = System.nanoTime();
            p.step(1);
            x.distance = x.bfs(spare, null);
            long t3 = System.nanoTime();
            p.step(1);
            if (TIMING) {
                System.err.printf("index: essential %d ms, dominators %d ms, bfs %d ms%n",
                        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
            }
        }
        return x;
    }

    /** Retained size of node {@code v} in bytes. */
    public long retained(int v) {
        int r = retainedSmall[v];
        return r >= 0 ? r : bigRetained[~r];
    }

    /** Retainers over essential edges, node indexes: {@code retFirst()[i]..retFirst()[i+1]} index {@link #retSrc()}. */
    public int[] retFirst() {
        int[] f = retFirst;
        if (f == null) {
            buildRetainers();
            f = retFirst;
        }
        return f;
    }

    /** Sources of the retaining edges, grouped by target (see {@link #retFirst()}), in edge order. */
    public int[] retSrc() {
        int[] s = retSrc;
        if (s == null) {
            buildRetainers();
            s = retSrc;
        }
        return s;
    }

    /** The edge by which BFS first reached each node (-1 for the root and unreachable nodes). */
    public int[] bfsEdge() {
        int[] b = bfsEdge;
        if (b == null) {
            synchronized (this) {
                if (bfsEdge == null) {
                    int[] via = new int[g.nodeCount];
                    bfs(null, via);
                    bfsEdge = via;
                }
                b = bfsEdge;
            }
        }
        return b;
    }

    /** Dominator-tree children: {@code domFirst()[i]..domFirst()[i+1]} index {@link #domChild()}. */
    public int[] domFirst() {
        int[] f = domFirst;
        if (f == null) {
            buildDominatorChildren();
            f = domFirst;
        }
        return f;
    }

    /** See {@link #domFirst()}. */
    public int[] domChild() {
        int[] c = domChild;
        if (c == null) {
            buildDominatorChildren();
            c = domChild;
        }
        return c;
    }

    public boolean isEssential(int e) {
        return (essential[e >>> 6] & (1L << e)) != 0;
    }

    static long[] essentialEdges(HeapGraph g) {
        int e = g.edgeCount;
        long[] bits = new long[(e + 63) >>> 6];
        // string indexes of WeakMap ephemeron edge names -> table id
        Map<Integer, Long> weakMapTable = new HashMap<>();
        for (int s = 0; s < g.strings.size(); s++) {
            if (g.strings.lastChar(s) != ')' || g.strings.length(s) < 40) {
                continue;
            }
            String str = g.strings.get(s);
            if (str.contains("pair in WeakMap (table @")) {
                Matcher m = WEAKMAP_EDGE.matcher(str);
                if (m.matches()) {
                    weakMapTable.put(s, Long.parseLong(m.group(1)));
                }
            }
        }
        int weak = g.etWeak, shortcut = g.etShortcut, internal = g.etInternal;
        for (int i = 0; i < g.nodeCount; i++) {
            int end = g.firstEdge[i + 1];
            for (int k = g.firstEdge[i]; k < end; k++) {
                int t = g.edgeType[k];
                if (t == weak || g.edgeTo[k] == i || (t == shortcut && i != 0)) {
                    continue;
                }
                if (t == internal && !weakMapTable.isEmpty()) {
                    Long table = weakMapTable.get(g.edgeName[k]);
                    if (table != null && table == g.id(i)) {
                        continue;
                    }
                }
                bits[k >>> 6] |= 1L << k;
            }
        }
        return bits;
    }

    private synchronized void buildRetainers() {
        if (retSrc != null) {
            return;
        }
        int n = g.nodeCount;
        int[] first = new int[n + 1];
        int count = 0;
        for (int k = 0; k < g.edgeCount; k++) {
            if (isEssential(k)) {
                first[g.edgeTo[k] + 1]++;
                count++;
            }
        }
        for (int i = 0; i < n; i++) {
            first[i + 1] += first[i];
        }
        int[] src = new int[count];
        int[] fill = Arrays.copyOf(first, n);
        for (int i = 0; i < n; i++) {
            int end = g.firstEdge[i + 1];
            for (int k = g.firstEdge[i]; k < end; k++) {
                if (isEssential(k)) {
                    src[fill[g.edgeTo[k]]++] = i;
                }
            }
        }
        retFirst = first;
        retSrc = src;
    }

    /**
     * BFS from the root over essential edges: returns the distances; records the first edge reaching each node
     * in {@code via} when given. {@code queue} is a scratch array of at least n entries (allocated when null).
     */
    private int[] bfs(int[] queue, int[] via) {
        int n = g.nodeCount;
        int[] dist = new int[n];
        Arrays.fill(dist, UNREACHABLE);
        if (via != null) {
            Arrays.fill(via, -1);
        }
        if (n == 0) {
            return dist;
        }
        if (queue == null || queue.length < n) {
            queue = new int[n];
        }
        int[] firstEdge = g.firstEdge, edgeTo = g.edgeTo;
        long[] ess = essential;
        int head = 0, tail = 0;
        dist[0] = 0;
        queue[tail++] = 0;
        while (head < tail) {
            int v = queue[head++];
            int d = dist[v] + 1;
            int end = firstEdge[v + 1];
            for (int k = firstEdge[v]; k < end; k++) {
                if ((ess[k >>> 6] & (1L << k)) == 0) {
                    continue;
                }
                int w = edgeTo[k];
                if (dist[w] == UNREACHABLE) {
                    dist[w] = d;
                    if (via != null) {
                        via[w] = k;
                    }
                    queue[tail++] = w;
                }
            }
        }
        return dist;
    }

    /**
     * Lengauer–Tarjan (simple version: path compression) for semi-dominators, then the semi-NCA pass for
     * immediate dominators. Works in DFS numbers 1..n (0 means "none"), with the retainer lists built in DFS
     * numbers right after the DFS so the node → number map can be dropped before the semi-dominator pass.
     * Sets {@link #idom} and the retained sizes; returns a spare int array of at least n entries for the BFS.
     */
    private int[] dominators(HeapGraph g) {
        int n = g.nodeCount;
        if (n == 0) {
            idom = new int[0];
            retainedSmall = new int[0];
            return new int[0];
        }
        long tStart = System.nanoTime();
        int[] dfn = new int[n + 2];      // node -> dfs number
        int[] vertex = new int[n + 2];   // dfs number -> node
        int[] parent = new int[n + 2];   // dfs number -> parent's dfs number
        int[] cursor = new int[n + 2];   // during the DFS: next edge to look at, per dfs number
        int[] count = {0};
        dfs(g, 0, 0, dfn, vertex, parent, cursor, count);
        if (count[0] < n) {
            // DevTools: nodes retained only through weak edges start new DFS trees under the root ...
            long[] retained = new long[(n + 63) >>> 6];
            for (int k = 0; k < g.edgeCount; k++) {
                if (isEssential(k)) {
                    int w = g.edgeTo[k];
                    retained[w >>> 6] |= 1L << w;
                }
            }
            for (int v = 0; v < n; v++) {
                if (dfn[v] == 0 && (retained[v >>> 6] & (1L << v)) == 0) {
                    dfs(g, v, 1, dfn, vertex, parent, cursor, count);
                }
            }
            // ... and whatever is still unvisited (cycles with no path from the root) hangs off the root.
            for (int v = 0; v < n; v++) {
                if (dfn[v] == 0) {
                    int d = ++count[0];
                    dfn[v] = d;
                    vertex[d] = v;
                    parent[d] = 1;
                }
            }
        }
        long tA = System.nanoTime();
        // retainers by dfs number: first[d]..first[d+1] index src, which holds dfs numbers
        int[] first = cursor;
        Arrays.fill(first, 0);
        int[] firstEdge = g.firstEdge, edgeTo = g.edgeTo;
        long[] ess = essential;
        int total = 0;
        for (int k = 0; k < g.edgeCount; k++) {
            if ((ess[k >>> 6] & (1L << k)) != 0) {
                first[dfn[edgeTo[k]]]++;
                total++;
            }
        }
        for (int d = 1; d <= n + 1; d++) {
            first[d] += first[d - 1]; // first[d] = end of d's range
        }
        int[] src = new int[total];
        for (int i = n - 1; i >= 0; i--) {
            int di = dfn[i];
            for (int k = firstEdge[i + 1] - 1; k >= firstEdge[i]; k--) {
                if ((ess[k >>> 6] & (1L << k)) != 0) {
                    src[--first[dfn[edgeTo[k]]]] = di;
                }
            }
        }
        first[n + 1] = total; // now first[d] = start of d's range
        int[] semi = dfn; // the node -> number map is not needed any more
        dfn = null;
        // the ranges as two bit sets (which numbers have retainers, where each range starts) instead of an int per
        // node: the semi-dominator pass walks them from the end; the offsets array becomes the label array
        long[] hasRetainers = new long[((n + 2) >>> 6) + 1];
        long[] rangeStart = new long[(total >>> 6) + 1];
        for (int d = 1; d <= n; d++) {
            if (first[d + 1] > first[d]) {
                hasRetainers[d >>> 6] |= 1L << d;
                rangeStart[first[d] >>> 6] |= 1L << first[d];
            }
        }
        long tB = System.nanoTime();
        int[] label = first;
        first = null;
        Arrays.fill(label, 0);
        int[] ancestor = new int[n + 2];
        for (int i = 1; i <= n; i++) {
            semi[i] = i;
            label[i] = i;
        }
        semi[0] = 0;
        semi[n + 1] = 0;
        int[] stack = new int[64];
        int rangeEnd = total;
        for (int i = n; i >= 2; i--) {
            int s = semi[i];
            int end = rangeEnd, begin = rangeEnd;
            if ((hasRetainers[i >>> 6] & (1L << i)) != 0) {
                begin = previousSetBit(rangeStart, end - 1);
                rangeEnd = begin;
            }
            if (parent[i] == 1) {
                s = 1; // the root is a (possibly artificial) predecessor
            } else {
                for (int r = begin; r < end; r++) {
                    int v = src[r];
                    int u;
                    if (ancestor[v] == 0) {
                        u = v;
                    } else {
                        stack = compress(v, ancestor, label, semi, stack);
                        u = label[v];
                    }
                    if (semi[u] < s) {
                        s = semi[u];
                    }
                }
            }
            semi[i] = s;
            ancestor[i] = parent[i];
        }
        src = null;
        hasRetainers = null;
        rangeStart = null;
        ancestor = null;
        long tC = System.nanoTime();
        // semi-NCA: idom(w) = nearest common ancestor of parent(w) and semi(w) in the tree built so far
        int[] dom = label; // reuse
        dom[1] = 1;
        for (int i = 2; i <= n; i++) {
            int d = parent[i];
            while (d > semi[i]) {
                d = dom[d];
            }
            dom[i] = d;
        }
        parent = null;
        semi = null;
        long tD = System.nanoTime();
        long[] ret = new long[n];
        for (int i = 1; i <= n; i++) {
            ret[vertex[i]] = g.selfSize(vertex[i]);
        }
        for (int i = n; i >= 2; i--) {
            ret[vertex[dom[i]]] += ret[vertex[i]];
        }
        int[] small = new int[n];
        int big = 0;
        for (int v = 0; v < n; v++) {
            if (ret[v] > Integer.MAX_VALUE) {
                big++;
            }
        }
        long[] bigs = new long[big];
        big = 0;
        for (int v = 0; v < n; v++) {
            long r = ret[v];
            if (r > Integer.MAX_VALUE) {
                bigs[big] = r;
                small[v] = ~big++;
            } else {
                small[v] = (int) r;
            }
        }
        ret = null;
        int[] id = new int[n];
        for (int i = 1; i <= n; i++) {
            id[vertex[i]] = vertex[dom[i]];
        }
        id[0] = 0;
        idom = id;
        retainedSmall = small;
        bigRetained = bigs;
        long tE = System.nanoTime();
        if (TIMING) {
            System.err.printf("dominators: dfs %d ms, retainers %d ms, semi %d ms, nca %d ms, retained %d ms%n",
                    (tA - tStart) / 1_000_000, (tB - tA) / 1_000_000, (tC - tB) / 1_000_000, (tD - tC) / 1_000_000,
                    (tE - tD) / 1_000_000);
        }
        return vertex; // spare: the BFS queue
    }

    /** The highest set bit at or below {@code from} (the bit at 0 must exist below any range start asked for). */
    private static int previousSetBit(long[] bits, int from) {
        int w = from >>> 6;
        long word = bits[w] & (-1L >>> (63 - (from & 63)));
        while (word == 0) {
            word = bits[--w];
        }
        return (w << 6) + 63 - Long.numberOfLeadingZeros(word);
    }

    private static int[] compress(int v, int[] ancestor, int[] label, int[] semi, int[] stack) {
        int sp = 0;
        int x = v;
        while (ancestor[ancestor[x]] != 0) {
            if (sp == stack.length) {
                stack = Arrays.copyOf(stack, stack.length * 2);
            }
            stack[sp++] = x;
            x = ancestor[x];
        }
        while (sp > 0) {
            x = stack[--sp];
            int a = ancestor[x];
            if (semi[label[a]] < semi[label[x]]) {
                label[x] = label[a];
            }
            ancestor[x] = ancestor[a];
        }
        return stack;
    }

    /** Iterative DFS over essential edges from {@code start}; {@code cursor} holds each node's next edge. */
    private void dfs(HeapGraph g, int start, int parentDfn, int[] dfn, int[] vertex, int[] parent, int[] cursor, int[] count) {
        int d = ++count[0];
        dfn[start] = d;
        vertex[d] = start;
        parent[d] = parentDfn;
        cursor[d] = g.firstEdge[start];
        int cur = d;
        int[] firstEdge = g.firstEdge, edgeTo = g.edgeTo;
        long[] ess = essential;
        while (true) {
            int v = vertex[cur];
            int end = firstEdge[v + 1];
            int k = cursor[cur];
            boolean descended = false;
            for (; k < end; k++) {
                if ((ess[k >>> 6] & (1L << k)) == 0) {
                    continue;
                }
                int w = edgeTo[k];
                if (dfn[w] == 0) {
                    cursor[cur] = k + 1;
                    int dw = ++count[0];
                    dfn[w] = dw;
                    vertex[dw] = w;
                    parent[dw] = cur;
                    cursor[dw] = firstEdge[w];
                    cur = dw;
                    descended = true;
                    break;
                }
            }
            if (!descended) {
                cursor[cur] = end;
                if (cur == d) {
                    return;
                }
                cur = parent[cur];
            }
        }
    }

    private synchronized void buildDominatorChildren() {
        if (domChild != null) {
            return;
        }
        int n = g.nodeCount;
        int[] first = new int[n + 1];
        for (int v = 1; v < n; v++) {
            first[idom[v] + 1]++;
        }
        for (int i = 0; i < n; i++) {
            first[i + 1] += first[i];
        }
        int[] child = new int[Math.max(0, n - 1)];
        int[] fill = Arrays.copyOf(first, n);
        for (int v = 1; v < n; v++) {
            child[fill[idom[v]]++] = v;
        }
        domFirst = first;
        domChild = child;
    }

    /** {@link HeapGraph#slots} from the edge arrays (the reader computes it while streaming in IDS mode). */
    static synchronized void computeSlots(HeapGraph g) {
        if (g.slots != null || g.slotsByRank != null) {
            return;
        }
        int n = g.nodeCount;
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) {
            int own = 0, max = 0;
            int end = g.firstEdge[i + 1];
            for (int k = g.firstEdge[i]; k < end; k++) {
                int t = g.edgeType[k];
                if (t == g.etElement || t == g.etProperty) {
                    own++;
                } else if (t == g.etInternal) {
                    int w = g.edgeTo[k];
                    int c = g.firstEdge[w + 1] - g.firstEdge[w];
                    if (c > max) {
                        max = c;
                    }
                }
            }
            slots[i] = own + max;
        }
        g.slots = slots;
    }
}
