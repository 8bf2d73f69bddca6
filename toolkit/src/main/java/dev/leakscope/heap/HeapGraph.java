package dev.leakscope.heap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The object graph of one V8 heap snapshot in primitive arrays: dense node indexes {@code 0..nodeCount-1}
 * (node 0 is the synthetic root), edges grouped by source node ({@code firstEdge} prefix sums, edge targets
 * already converted from {@code nodes} offsets to node indexes). No object per node or edge. Filled once by
 * {@link SnapshotReader} (or the cache) and never changed afterwards.
 */
public final class HeapGraph {

    /** One warning about damaged input: where (byte offset or -1), which structure, what. */
    public record Warning(long offset, String structure, String message) {
    }

    public Path path;
    public String[] nodeTypes;
    public String[] edgeTypes;
    public int nodeFieldCount;

    public int nodeCount;
    public byte[] nodeType;
    public int[] nodeName;
    public int[] nodeId;
    public int[] selfSize;
    /** self sizes above {@code Integer.MAX_VALUE}, by node index (rare: huge backing stores). */
    public Map<Integer, Long> bigSelfSize = new HashMap<>();
    /** A sample of ids with their type and size ({@link SameProcess}); kept when the graph is read for ids only. */
    long[] idSample;
    /** {@code firstEdge[i]..firstEdge[i+1]} are node i's edges; length nodeCount + 1. */
    public int[] firstEdge;

    public int edgeCount;
    public byte[] edgeType;
    /** A string index, or the element/hidden index for those edge types. */
    public int[] edgeName;
    /** Target node index. */
    public int[] edgeTo;

    public StringTable strings;
    /** Flat (node index, scriptId, line, column) quadruples from the snapshot's {@code locations}. */
    public int[] locations = new int[0];

    /**
     * Per node: element + property edges of its own plus the largest edge count among its internal-edge
     * targets (a Map's table, an array's elements, a dictionary's properties) — a cheap, id-stable measure of
     * how big a collection is.
     */
    public int[] slots;
    /** {@link #slots} in id order (rank in {@link #ids()}), for graphs read for their ids only. */
    public int[] slotsByRank;

    public final List<Warning> warnings = java.util.Collections.synchronizedList(new ArrayList<>());

    // edge type codes resolved from meta (-1 when a snapshot lacks the type)
    public int etContext = -1, etElement = -1, etProperty = -1, etInternal = -1, etHidden = -1, etShortcut = -1, etWeak = -1;
    // node type codes
    public int ntHidden = -1, ntArray = -1, ntString = -1, ntObject = -1, ntCode = -1, ntClosure = -1, ntRegexp = -1,
            ntNumber = -1, ntNative = -1, ntSynthetic = -1, ntConsString = -1, ntSlicedString = -1, ntSymbol = -1,
            ntBigint = -1, ntShape = -1;

    private IdIndex ids;

    /** Node ids sorted, with their node indexes (built once, on first use). */
    public synchronized IdIndex ids() {
        if (ids == null) {
            ids = IdIndex.of(nodeId, nodeCount);
        }
        return ids;
    }

    private long newestObjectId = -1;

    /**
     * The highest id of a V8 heap object: V8 numbers objects in the order it first sees them, so a later snapshot of
     * one process has a higher one. Native and synthetic nodes are left out: their ids are hashes, not a sequence.
     */
    public synchronized long newestObjectId() {
        if (newestObjectId < 0) {
            long m = 0;
            for (int i = 0; i < nodeCount; i++) {
                int t = nodeType[i];
                if (t != ntNative && t != ntSynthetic) {
                    m = Math.max(m, id(i));
                }
            }
            newestObjectId = m;
        }
        return newestObjectId;
    }

    /** Keeps only the ids (no node indexes) and {@link #slots} by id rank: what a snapshot read for its ids needs. */
    synchronized void keepIdsAndSlotsOnly() {
        newestObjectId();
        IdIndex full = ids();
        int[] byRank = new int[nodeCount];
        for (int r = 0; r < nodeCount; r++) {
            byRank[r] = slots[full.nodeAt(r)];
        }
        slotsByRank = byRank;
        slots = null;
        ids = full.withoutNodes();
        nodeId = null;
        nodeType = null;
    }

    /** The collection size ({@link #slots}) of the object with {@code id}, or -1 when there is none. */
    public int slotsOfId(long id) {
        if (slotsByRank != null) {
            int r = ids().rank(id);
            return r < 0 ? -1 : slotsByRank[r];
        }
        int n = ids().node(id);
        return n < 0 ? -1 : slots[n];
    }

    void resolveTypeCodes() {
        for (int i = 0; i < edgeTypes.length; i++) {
            switch (edgeTypes[i]) {
                case "context" -> etContext = i;
                case "element" -> etElement = i;
                case "property" -> etProperty = i;
                case "internal" -> etInternal = i;
                case "hidden" -> etHidden = i;
                case "shortcut" -> etShortcut = i;
                case "weak" -> etWeak = i;
                default -> { }
            }
        }
        for (int i = 0; i < nodeTypes.length; i++) {
            switch (nodeTypes[i]) {
                case "hidden" -> ntHidden = i;
                case "array" -> ntArray = i;
                case "string" -> ntString = i;
                case "object" -> ntObject = i;
                case "code" -> ntCode = i;
                case "closure" -> ntClosure = i;
                case "regexp" -> ntRegexp = i;
                case "number" -> ntNumber = i;
                case "native" -> ntNative = i;
                case "synthetic" -> ntSynthetic = i;
                case "concatenated string" -> ntConsString = i;
                case "sliced string" -> ntSlicedString = i;
                case "symbol" -> ntSymbol = i;
                case "bigint" -> ntBigint = i;
                case "object shape" -> ntShape = i;
                default -> { }
            }
        }
    }

    /** Self size of node i in bytes. */
    public long selfSize(int i) {
        int s = selfSize[i];
        return s >= 0 ? s : bigSelfSize.getOrDefault(i, 0L);
    }

    /** The node's V8 id as an unsigned number. */
    public long id(int i) {
        return Integer.toUnsignedLong(nodeId[i]);
    }

    public String typeName(int i) {
        return nodeTypes[nodeType[i] & 0xff];
    }

    public String name(int i) {
        return string(nodeName[i]);
    }

    public String string(int idx) {
        return idx >= 0 && idx < strings.size() ? strings.get(idx) : "(missing string #" + idx + ")";
    }

    public String edgeTypeName(int e) {
        return edgeTypes[edgeType[e] & 0xff];
    }

    /** The edge's name: the string for named edges, the index (as text) for element and hidden edges. */
    public String edgeNameText(int e) {
        int t = edgeType[e];
        if (t == etElement || t == etHidden) {
            return Integer.toString(edgeName[e]);
        }
        return string(edgeName[e]);
    }

    public boolean isStringType(int type) {
        return type == ntString || type == ntConsString || type == ntSlicedString;
    }

    /** Does edge {@code e} carry a numeric index rather than a string name? */
    public boolean isIndexEdge(int e) {
        int t = edgeType[e];
        return t == etElement || t == etHidden;
    }

    /** Total self size of all nodes. */
    public long totalSize() {
        long s = 0;
        for (int i = 0; i < nodeCount; i++) {
            s += selfSize(i);
        }
        return s;
    }

    void warn(long offset, String structure, String message) {
        warnings.add(new Warning(offset, structure, message));
    }
}
