package dev.leakscope.v8;

import java.util.Arrays;

/**
 * Heap objects found in a core: address → (map id, shallow size), open addressing over primitive arrays
 * (no object per entry), so millions of objects fit in a few dozen MB.
 */
final class ObjectTable {

    private static final long EMPTY = 0L;   // heap object addresses are never 0

    private long[] keys;
    private int[] mapIds;
    private int[] sizes;
    private int count;
    private int mask;

    ObjectTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        mapIds = new int[cap];
        sizes = new int[cap];
        mask = cap - 1;
    }

    int size() {
        return count;
    }

    boolean contains(long addr) {
        int i = slot(addr);
        while (true) {
            long k = keys[i];
            if (k == addr) {
                return true;
            }
            if (k == EMPTY) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    /** Adds {@code addr} unless present; true when it was new. */
    boolean add(long addr, int mapId, int size) {
        if ((count + 1) * 4L > keys.length * 3L) {
            grow();
        }
        int i = slot(addr);
        while (true) {
            long k = keys[i];
            if (k == addr) {
                return false;
            }
            if (k == EMPTY) {
                keys[i] = addr;
                mapIds[i] = mapId;
                sizes[i] = size;
                count++;
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    /** Adds every entry of {@code other} not already here. */
    void addAll(ObjectTable other) {
        long[] ok = other.keys;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != EMPTY) {
                add(ok[i], other.mapIds[i], other.sizes[i]);
            }
        }
    }

    /** Calls {@code v} for every entry. */
    void forEach(Visitor v) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                v.visit(keys[i], mapIds[i], sizes[i]);
            }
        }
    }

    /** The addresses whose map id is in {@code wanted} (indexed by map id), ascending. */
    long[] addressesOf(boolean[] wanted) {
        long[] out = new long[16];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY && mapIds[i] < wanted.length && wanted[mapIds[i]]) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = keys[i];
            }
        }
        out = Arrays.copyOf(out, n);
        Arrays.sort(out);
        return out;
    }

    interface Visitor {
        void visit(long addr, int mapId, int size);
    }

    private int slot(long addr) {
        long h = addr * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }

    private void grow() {
        long[] ok = keys;
        int[] om = mapIds;
        int[] os = sizes;
        int cap = ok.length * 2;
        keys = new long[cap];
        mapIds = new int[cap];
        sizes = new int[cap];
        mask = cap - 1;
        count = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != EMPTY) {
                add(ok[i], om[i], os[i]);
            }
        }
    }
}
