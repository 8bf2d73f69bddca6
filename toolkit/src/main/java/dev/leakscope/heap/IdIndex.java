package dev.leakscope.heap;

import java.util.Arrays;

/**
 * Node ids of one snapshot, sorted (unsigned), each with its node index: membership and id → node lookups in
 * O(log n). Ids are stable across snapshots of one process, so this is how snapshots are compared.
 */
public final class IdIndex {

    private final int[] keys;   // id ^ MIN_VALUE, sorted signed == ids sorted unsigned
    private final int[] nodes;

    private IdIndex(int[] keys, int[] nodes) {
        this.keys = keys;
        this.nodes = nodes;
    }

    public static IdIndex of(int[] nodeId, int count) {
        long[] packed = new long[count];
        for (int i = 0; i < count; i++) {
            packed[i] = ((long) (nodeId[i] ^ Integer.MIN_VALUE) << 32) | i;
        }
        Arrays.parallelSort(packed);
        int[] keys = new int[count];
        int[] nodes = new int[count];
        for (int i = 0; i < count; i++) {
            keys[i] = (int) (packed[i] >> 32);
            nodes[i] = (int) packed[i];
        }
        return new IdIndex(keys, nodes);
    }

    /** The node index holding {@code id}, or -1. */
    public int node(long id) {
        int at = rank(id);
        return at < 0 ? -1 : nodes[at];
    }

    /** The rank of {@code id} in id order, or -1 when absent. */
    public int rank(long id) {
        if (id < 0 || id > 0xffffffffL) {
            return -1;
        }
        int k = ((int) id) ^ Integer.MIN_VALUE;
        int at = Arrays.binarySearch(keys, k);
        return at < 0 ? -1 : at;
    }

    /** The same ids without their node indexes (membership and ranks only): half the memory. */
    public IdIndex withoutNodes() {
        return new IdIndex(keys, null);
    }

    public boolean contains(long id) {
        return node(id) >= 0;
    }

    public int size() {
        return keys.length;
    }

    /** Node indexes in id order. */
    public int nodeAt(int rank) {
        return nodes[rank];
    }

    /** Unsigned id at {@code rank}. */
    public long idAt(int rank) {
        return Integer.toUnsignedLong(keys[rank] ^ Integer.MIN_VALUE);
    }
}
