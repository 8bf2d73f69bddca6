package dev.leakscope.heap;

import java.util.Locale;

/**
 * Whether two snapshots come from one process. Node ids are what snapshots are compared by, and V8 keeps an id for
 * the life of an object only within its process: across processes the same ids name unrelated objects, and a
 * comparison would report them as allocated, freed or leaked. Checked on a sample (one id in 64, chosen by id so
 * both snapshots sample the same objects): within one process an id keeps its node type and, almost always, its
 * self size (0 % of them differ on the example app's snapshots); across processes 84–89 % differ.
 */
public final class SameProcess {

    /** Which ids are sampled: {@code ((id >>> 1) & MASK) == 0} (V8 steps ids by 2). */
    static final int MASK = 63;
    /** Fewer shared sampled ids than this: too few to judge, no verdict. */
    static final int MIN_SHARED = 64;
    /** More than this fraction of shared sampled ids differing: different processes. */
    static final double MAX_DIFFERING = 0.5;

    private SameProcess() {
    }

    static boolean sampled(long id) {
        return ((id >>> 1) & MASK) == 0;
    }

    /** One sample entry: the id in the high half, a signature of the node's type and self size in the low half. */
    static long entry(long id, int type, long selfSize) {
        int self = selfSize > Integer.MAX_VALUE ? -1 : (int) selfSize;
        return (id << 32) | ((type * 0x9E3779B1 + self) & 0xffffffffL);
    }

    /** The sample of a graph: kept while reading one read for its ids only, else taken from its arrays. */
    static long[] sample(HeapGraph g) {
        if (g.idSample != null) {
            return g.idSample;
        }
        it.unimi.dsi.fastutil.longs.LongArrayList out = new it.unimi.dsi.fastutil.longs.LongArrayList();
        for (int i = 0; i < g.nodeCount; i++) {
            long id = g.id(i);
            if (sampled(id)) {
                out.add(entry(id, g.nodeType[i] & 0xff, g.selfSize[i] < 0 ? Long.MAX_VALUE : g.selfSize[i]));
            }
        }
        return g.idSample = out.toLongArray();
    }

    /**
     * Throws {@link IllegalArgumentException} naming both files when {@code earlier} and {@code later} are not
     * snapshots of one process; {@code later} must have its node arrays (not read for ids only).
     */
    public static void require(HeapGraph earlier, HeapGraph later) {
        long[] a = sample(earlier);
        IdIndex ids = later.ids();
        int shared = 0, differing = 0;
        for (long e : a) {
            long id = e >>> 32;
            int n = ids.node(id);
            if (n < 0) {
                continue;
            }
            shared++;
            long mine = entry(id, later.nodeType[n] & 0xff, later.selfSize[n] < 0 ? Long.MAX_VALUE : later.selfSize[n]);
            if (mine != e) {
                differing++;
            }
        }
        if (shared >= MIN_SHARED && differing > MAX_DIFFERING * shared) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s and %s are snapshots of different processes: %d of the %d sampled objects they share by node "
                            + "id differ in type or size (%.0f %%), where one process keeps them the same. Node ids "
                            + "only match within one process — and within one thread of it: a worker_thread has a heap "
                            + "and ids of its own. Compare snapshots taken from one running process (and thread)",
                    earlier.path, later.path, differing, shared, 100.0 * differing / shared));
        }
    }
}
