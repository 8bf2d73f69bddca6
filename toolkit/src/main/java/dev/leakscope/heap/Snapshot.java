package dev.leakscope.heap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One loaded snapshot: its {@link HeapGraph}, its {@link HeapIndex}, and what queries derive lazily from them
 * (class of every node as DevTools names it, the id index, retainer paths as text). Thread-safe after
 * construction: lazy parts are computed under the lock once.
 */
public final class Snapshot {

    public final HeapGraph g;
    public final HeapIndex x;
    private int[] classOf;
    private String[] classNames;

    public Snapshot(HeapGraph g, HeapIndex x) {
        this.g = g;
        this.x = x;
    }

    /** DevTools' class of every node (Summary's "Constructor" column). */
    public synchronized int[] classOf() {
        if (classOf == null) {
            computeClasses();
        }
        return classOf;
    }

    public synchronized String[] classNames() {
        if (classOf == null) {
            computeClasses();
        }
        return classNames;
    }

    public String className(int node) {
        return classNames()[classOf()[node]];
    }

    public IdIndex ids() {
        return g.ids();
    }

    private void computeClasses() {
        int n = g.nodeCount;
        int[] cls = new int[n];
        List<String> names = new ArrayList<>();
        Map<String, Integer> byName = new HashMap<>();
        int[] byString = new int[g.strings.size() + 1];
        java.util.Arrays.fill(byString, -1);
        int[] byType = new int[g.nodeTypes.length];
        java.util.Arrays.fill(byType, -1);
        for (int i = 0; i < n; i++) {
            int t = g.nodeType[i];
            if (t == g.ntObject || t == g.ntNative) {
                int s = g.nodeName[i];
                int si = s >= 0 && s < g.strings.size() ? s : g.strings.size();
                int c = byString[si];
                if (c < 0) {
                    String name = g.string(s);
                    if (name.startsWith("<")) {
                        int sp = name.indexOf(' ');
                        if (sp > 0) {
                            name = name.substring(0, sp) + ">";
                        }
                    }
                    c = byName.computeIfAbsent(name, k -> {
                        names.add(k);
                        return names.size() - 1;
                    });
                    byString[si] = c;
                }
                cls[i] = c;
            } else {
                int c = byType[t];
                if (c < 0) {
                    String name = typeClass(g, t);
                    c = byName.computeIfAbsent(name, k -> {
                        names.add(k);
                        return names.size() - 1;
                    });
                    byType[t] = c;
                }
                cls[i] = c;
            }
        }
        classNames = names.toArray(new String[0]);
        classOf = cls;
    }

    private static String typeClass(HeapGraph g, int t) {
        if (t == g.ntHidden) {
            return "(system)";
        }
        if (t == g.ntCode) {
            return "(compiled code)";
        }
        if (t == g.ntClosure) {
            return "Function";
        }
        if (t == g.ntRegexp) {
            return "RegExp";
        }
        return "(" + g.nodeTypes[t] + ")";
    }

    /** A short human label for a node: its class, a closure's function name, a string's text. */
    public String label(int node) {
        int t = g.nodeType[node];
        String name = g.name(node);
        if (t == g.ntClosure) {
            return (name.isEmpty() ? "(anonymous)" : name) + "()";
        }
        if (t == g.ntString) {
            return "\"" + (name.length() > 32 ? name.substring(0, 32) + "…" : name) + "\"";
        }
        if (t == g.ntObject || t == g.ntNative || t == g.ntHidden || t == g.ntSynthetic || t == g.ntArray) {
            return name.isEmpty() ? className(node) : name;
        }
        return className(node);
    }

    /** Edges from the root to {@code node} along the BFS tree (empty for the root or unreachable nodes). */
    public int[] pathEdges(int node) {
        List<Integer> edges = new ArrayList<>();
        int v = node;
        int guard = 0;
        while (v != 0 && x.bfsEdge()[v] >= 0 && guard++ < 100_000) {
            int e = x.bfsEdge()[v];
            edges.add(e);
            v = source(e);
        }
        int[] out = new int[edges.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = edges.get(out.length - 1 - i);
        }
        return out;
    }

    /** The node that owns edge {@code e} (binary search over the prefix sums). */
    public int source(int e) {
        int lo = 0, hi = g.nodeCount - 1;
        int[] f = g.firstEdge;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (f[mid] <= e) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        // several nodes may share the same first edge when some have no edges: take the one that has it
        while (lo < g.nodeCount - 1 && f[lo + 1] <= e) {
            lo++;
        }
        return lo;
    }

    /** Edge label in a path: {@code [3]} for indexes, the name otherwise; {@code normalized} drops indexes and ids. */
    public String edgeLabel(int e, boolean normalized) {
        if (g.isIndexEdge(e)) {
            return normalized ? "[]" : "[" + g.edgeName[e] + "]";
        }
        String s = g.string(g.edgeName[e]);
        if (normalized) {
            if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
                return "[]";
            }
            s = missingAsOne(s.replaceAll("@\\d+", "@").replaceAll("^\\d+ / ", ""));
        }
        return s;
    }

    /** {@code (missing string #N)} (a name past the cut of a truncated snapshot) as one text, for grouping paths. */
    static String missingAsOne(String s) {
        return s.startsWith("(missing string #") ? "(missing string)" : s;
    }

    /**
     * The retainer path of {@code node} from the GC roots as text, memlab style:
     * {@code (GC roots) --[13]--> (Global handles) --sessions--> Map --table--> … --[]--> RequestContext}.
     * With {@code normalized}, element indexes and @ids are dropped and strings shown by class, so paths of
     * objects held the same way compare equal.
     */
    public String pathText(int node, boolean normalized) {
        int[] edges = pathEdges(node);
        StringBuilder sb = new StringBuilder();
        if (edges.length == 0) {
            return node == 0 ? "(root)" : "(unreachable) " + label(node);
        }
        for (int i = 0; i < edges.length; i++) {
            int e = edges[i];
            int from = source(e);
            if (from != 0 || i > 0) {
                if (sb.length() == 0) {
                    sb.append(nodeText(from, normalized));
                }
                sb.append(" --").append(edgeLabel(e, normalized)).append("--> ");
            }
            sb.append(nodeText(g.edgeTo[e], normalized));
        }
        return sb.toString();
    }

    private String nodeText(int node, boolean normalized) {
        if (normalized && (g.isStringType(g.nodeType[node]) || g.nodeType[node] == g.ntNumber)) {
            return className(node);
        }
        return normalized ? missingAsOne(label(node)) : label(node);
    }
}
