package dev.leakscope.heap;

import dev.leakscope.Progress;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What DevTools computes over a snapshot's graph, in primitive arrays: the retainers (reverse edges), the BFS
 * distance from the root and a shortest-path parent for every node, the dominator tree (Lengauer–Tarjan with
 * path compression, semi-NCA finish) and retained sizes. Edges follow DevTools' rules: weak edges, shortcut
 * edges (except from the root), self edges and WeakMap table→value edges do not retain. Nodes unreachable from
 * the root hang off the root. The dominator tree and the BFS run on two threads.
 */
public final class HeapIndex {

    private static final Pattern WEAKMAP_EDGE = Pattern.compile(
            "^\\d+ / part of key \\(.*? @\\d+\\) -> value \\(.*? @\\d+\\) pair in WeakMap \\(table @(\\d+)\\)$");

    /** Essential (retaining) edges, one bit per edge. */
    public long[] essential;
    /** Retainers over essential edges: {@code retFirst[i]..retFirst[i+1]} index {@code retSrc}. */
    public int[] retFirst;
    public int[] retSrc;
    /** BFS distance from the root over essential edges; {@link #UNREACHABLE} when not reachable. */
    public int[] distance;
    /** The edge by which BFS first reached each node (-1 for the root and unreachable nodes). */
    public int[] bfsEdge;
    /** Immediate dominator (node index); the root dominates itself. */
    public int[] idom;
    public long[] retained;
    /** Dominator-tree children: {@code domFirst[i]..domFirst[i+1]} index {@code domChild}. */
    public int[] domFirst;
    public int[] domChild;

    public static final int UNREACHABLE = Integer.MAX_VALUE;

    static final boolean TIMING = Boolean.getBoolean("leakscope.timing");

    private HeapIndex() {
    }

    /** An index to be filled by the cache reader. */
    static HeapIndex empty() {
        return new HeapIndex();
    }

    /** Builds every index over {@code g}. */
    public static HeapIndex build(HeapGraph g) {
        HeapIndex x = new HeapIndex();
        try (Progress p = Progress.start("indexing " + g.path.getFileName(), 4)) {
            long t0 = System.nanoTime();
            x.essential = essentialEdges(g);
            long t1 = System.nanoTime();
            p.step(1);
            x.buildRetainers(g);
            long t2 = System.nanoTime();
            p.step(1);
            p.checkCancelled();
            x.dominators(g); // also runs the BFS in the dominator computation's scratch arrays
            long t3 = System.nanoTime();
            long t4 = System.nanoTime();
            p.step(1);
            x.buildDominatorChildren(g.nodeCount);
            long t5 = System.nanoTime();
            p.step(1);
            if (TIMING) {
                System.err.printf("index: essential %d ms, retainers %d ms, dominators %d ms, bfs wait %d ms, children+slots %d ms%n",
                        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000, (t5 - t4) / 1_000_000);
            }
        }
        return x;
    }

    public boolean isEssential(int e) {
        return (essential[e >>> 6] & (1L << e)) != 0;
    }

    static long[] essentialEdges(HeapGraph g) {
        int e = g.edgeCount;
        long[] bits = new long[(e + 63) >>> 6];
        // string indexes of WeakMap ephemeron edge names -> table id
        Map<Integer, Long> weakMapTable = new HashMap<>();
        for (int s = 0; s < g.strings.length; s++) {
            String str = g.strings[s];
            if (str.endsWith(")") && str.contains("pair in WeakMap (table @")) {
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

    private void buildRetainers(HeapGraph g) {
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

    /** BFS from the root; {@code dist}, {@code via} and {@code queue} are scratch arrays of at least n entries. */
    private void bfs(HeapGraph g, int[] dist, int[] via, int[] queue) {
        int n = g.nodeCount;
        Arrays.fill(dist, UNREACHABLE);
        Arrays.fill(via, -1);
        if (n == 0) {
            distance = dist;
            bfsEdge = via;
            return;
        }
        int head = 0, tail = 0;
        dist[0] = 0;
        queue[tail++] = 0;
        while (head < tail) {
            int v = queue[head++];
            int d = dist[v] + 1;
            int end = g.firstEdge[v + 1];
            for (int k = g.firstEdge[v]; k < end; k++) {
                if (!isEssential(k)) {
                    continue;
                }
                int w = g.edgeTo[k];
                if (dist[w] == UNREACHABLE) {
                    dist[w] = d;
                    via[w] = k;
                    queue[tail++] = w;
                }
            }
        }
        distance = dist;
        bfsEdge = via;
    }

    /**
     * Lengauer–Tarjan (simple version: path compression) for semi-dominators, then the semi-NCA pass for
     * immediate dominators. Works in DFS numbers 1..n; 0 means "none".
     */
    private void dominators(HeapGraph g) {
        int n = g.nodeCount;
        if (n == 0) {
            idom = new int[0];
            retained = new long[0];
            distance = new int[0];
            bfsEdge = new int[0];
            return;
        }
        int[] dfn = new int[n];          // node -> dfs number
        int[] vertex = new int[n + 1];   // dfs number -> node
        int[] parent = new int[n + 1];   // dfs number -> parent's dfs number
        int[] semi = new int[n + 1];     // during the DFS: next edge to look at, per dfs number
        int[] label = new int[n + 1];
        int[] ancestor = new int[n + 1];
        int[] count = {0};
        dfs(g, 0, 0, dfn, vertex, parent, semi, count);
        if (count[0] < n) {
            // DevTools: nodes retained only through weak edges start new DFS trees under the root ...
            for (int v = 0; v < n; v++) {
                if (dfn[v] == 0 && retFirst[v] == retFirst[v + 1]) {
                    dfs(g, v, 1, dfn, vertex, parent, semi, count);
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
        for (int i = 1; i <= n; i++) {
            semi[i] = i;
            label[i] = i;
        }
        int[] stack = new int[64];
        for (int i = n; i >= 2; i--) {
            int w = vertex[i];
            int s = semi[i];
            if (parent[i] == 1) {
                s = 1; // the root is a (possibly artificial) predecessor
            } else {
                int end = retFirst[w + 1];
                for (int r = retFirst[w]; r < end; r++) {
                    int v = dfn[retSrc[r]];
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
        long tB = System.nanoTime();
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
        long tC = System.nanoTime();
        if (TIMING) {
            System.err.printf("dominators: semi %d ms, nca %d ms%n", (tB - tA) / 1_000_000, (tC - tB) / 1_000_000);
        }
        long[] ret = new long[n];
        for (int i = 1; i <= n; i++) {
            ret[vertex[i]] = g.selfSize(vertex[i]);
        }
        for (int i = n; i >= 2; i--) {
            int v = vertex[i];
            ret[vertex[dom[i]]] += ret[v];
        }
        int[] id = dfn; // no longer needed: reuse for the node-indexed dominators
        for (int i = 1; i <= n; i++) {
            id[vertex[i]] = vertex[dom[i]];
        }
        id[0] = 0;
        idom = id;
        retained = ret;
        // the BFS reuses the scratch arrays rather than holding a second set at the same time
        bfs(g, semi, ancestor, vertex);
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
        while (true) {
            int v = vertex[cur];
            int end = g.firstEdge[v + 1];
            int k = cursor[cur];
            boolean descended = false;
            for (; k < end; k++) {
                if (!isEssential(k)) {
                    continue;
                }
                int w = g.edgeTo[k];
                if (dfn[w] == 0) {
                    cursor[cur] = k + 1;
                    int dw = ++count[0];
                    dfn[w] = dw;
                    vertex[dw] = w;
                    parent[dw] = cur;
                    cursor[dw] = g.firstEdge[w];
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

    private void buildDominatorChildren(int n) {
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
        if (g.slots != null) {
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
