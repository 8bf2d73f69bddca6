package dev.leakscope.v8;

import dev.leakscope.Progress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds the V8 heap objects of a process the way llnode's findjsobjects does, in parallel: every aligned
 * word of every writable region that is a tagged pointer ({@code w & 7 == 1}) to an object whose map is a
 * real Map (its own map is the meta map) names a live-looking object; each object is counted once. Objects
 * are grouped by a type: the constructor name for JS objects (class names on every node version, since it
 * follows the map to the constructor's SharedFunctionInfo rather than trusting instance types), "(closure)"
 * for functions, the string kinds, and "(V8Class)" for V8 internals.
 */
public final class HeapScanner {

    private static final int CHUNK = 4 << 20;

    /** What leakscope knows of one Map. */
    record MapInfo(long map, int instanceType, int fixedSize, int typeId) {
    }

    /** One row of the grouping: a name and a kind (object, closure, string, internal). */
    public record TypeKey(String name, String kind) {
    }

    private final V8Reader r;
    private final ConcurrentHashMap<Long, Integer> mapIds = new ConcurrentHashMap<>();
    private final List<MapInfo> maps = new ArrayList<>();
    private final ConcurrentHashMap<TypeKey, Integer> typeIds = new ConcurrentHashMap<>();
    private final List<TypeKey> types = new ArrayList<>();

    private HeapScanner(V8Reader r) {
        this.r = r;
    }

    /** Scans every writable region held by the core. */
    public static HeapIndex scan(V8Reader reader) {
        return new HeapScanner(reader).run();
    }

    /** Per-thread tallies by map id. */
    private static final class Tally {
        long[] counts = new long[1024];
        long[] sizes = new long[1024];
        long[] unknown = new long[1024];

        void add(int mapId, int size) {
            if (mapId >= counts.length) {
                int n = Math.max(mapId + 1, counts.length * 2);
                counts = java.util.Arrays.copyOf(counts, n);
                sizes = java.util.Arrays.copyOf(sizes, n);
                unknown = java.util.Arrays.copyOf(unknown, n);
            }
            counts[mapId]++;
            if (size >= 0) {
                sizes[mapId] += size;
            } else {
                unknown[mapId]++;
            }
        }
    }

    private HeapIndex run() {
        ProcessMemory mem = r.memory();
        List<long[]> chunks = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        long total = 0;
        for (ProcessMemory.Region g : mem.regions()) {
            if (!g.writable() || !g.readable()) {
                continue;
            }
            if (g.truncated()) {
                warnings.add("region 0x" + Long.toHexString(g.start()) + "-0x" + Long.toHexString(g.end()) + ": "
                        + (g.size() - g.held()) + " bytes not readable (the core file " + mem.source()
                        + " is truncated); objects there and objects only they refer to are not counted");
            }
            long end = g.start() + Math.min(g.held(), g.size());
            for (long a = g.start(); a < end; a += CHUNK) {
                long len = Math.min(CHUNK, end - a);
                chunks.add(new long[] {a, len});
                total += len;
            }
        }
        ObjectBitmap seen = new ObjectBitmap(mem.regions());
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 8));
        ExecutorService pool = Executors.newFixedThreadPool(threads, rn -> {
            Thread t = new Thread(rn, "leakscope-heapscan");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger next = new AtomicInteger();
        try (Progress progress = Progress.start("findjsobjects " + mem.source(), total)) {
            List<Future<Tally>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                parts.add(pool.submit(() -> worker(chunks, next, progress, warnings, seen)));
            }
            List<Tally> tallies = new ArrayList<>();
            for (Future<Tally> f : parts) {
                tallies.add(f.get());
            }
            MapInfo[] mapArr;
            TypeKey[] typeArr;
            synchronized (this) {
                mapArr = maps.toArray(new MapInfo[0]);
                typeArr = types.toArray(new TypeKey[0]);
            }
            long[] counts = new long[mapArr.length];
            long[] sizes = new long[mapArr.length];
            long[] unknown = new long[mapArr.length];
            for (Tally t : tallies) {
                for (int m = 0; m < Math.min(t.counts.length, mapArr.length); m++) {
                    counts[m] += t.counts[m];
                    sizes[m] += t.sizes[m];
                    unknown[m] += t.unknown[m];
                }
            }
            java.util.Map<Long, Integer> ids = new java.util.HashMap<>();
            mapIds.forEach((k, v) -> {
                if (v >= 0) {
                    ids.put(k, v);
                }
            });
            return new HeapIndex(r, seen, mapArr, typeArr, ids, counts, sizes, unknown, total, warnings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new V8Exception("heap scan of " + mem.source() + " interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new V8Exception("heap scan of " + mem.source() + " failed: " + c, c);
        } finally {
            pool.shutdownNow();
        }
    }

    private Tally worker(List<long[]> chunks, AtomicInteger next, Progress progress, List<String> warnings,
                         ObjectBitmap seen) {
        ProcessMemory mem = r.memory();
        Tally tally = new Tally();
        LongIntCache cache = new LongIntCache();
        MapInfo[] local = new MapInfo[1024];
        byte[] buf = new byte[CHUNK];
        LongBuffer words = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
        int i;
        while ((i = next.getAndIncrement()) < chunks.size()) {
            progress.checkCancelled();
            long start = chunks.get(i)[0];
            int len = (int) chunks.get(i)[1];
            if (!mem.read(start, buf, 0, len)) {
                synchronized (warnings) {
                    warnings.add("region bytes at 0x" + Long.toHexString(start) + " (+" + len + ") not readable in "
                            + mem.source() + "; skipped");
                }
                progress.step(len);
                continue;
            }
            int n = len >>> 3;
            for (int k = 0; k < n; k++) {
                long w = words.get(k);
                if ((w & 7) != 1) {
                    continue;
                }
                int region = mem.regionIndex(w - 1);
                if (region < 0) {
                    continue;
                }
                long m = mem.word(w - 1);
                if ((m & 7) != 1) {
                    continue;
                }
                int id = cache.get(m);
                if (id == LongIntCache.MISSING) {
                    id = resolve(m);
                    cache.put(m, id);
                }
                if (id < 0 || !seen.testAndSet(region, w - 1)) {
                    continue;
                }
                if (id >= local.length) {
                    local = java.util.Arrays.copyOf(local, Math.max(id + 1, local.length * 2));
                }
                MapInfo mi = local[id];
                if (mi == null) {
                    mi = local[id] = mapInfo(id);
                }
                if (!r.plausible(w, mi.instanceType())) {
                    continue;   // stays marked (never counted): HeapIndex re-checks when listing
                }
                tally.add(id, mi.fixedSize() > 0 ? mi.fixedSize() : r.variableSize(w, mi.instanceType()));
            }
            progress.step(len);
        }
        return tally;
    }

    private synchronized MapInfo mapInfo(int id) {
        return maps.get(id);
    }

    /** The map id of {@code m}, registering it on first sight; -1 when {@code m} is not a Map. */
    private int resolve(long m) {
        Integer known = mapIds.get(m);
        if (known != null) {
            return known;
        }
        if (!r.isMap(m)) {
            mapIds.putIfAbsent(m, -1);
            return -1;
        }
        int type = r.instanceTypeOfMap(m);
        int fixed = r.fixedInstanceSize(m);
        TypeKey key = typeKey(m, type);
        synchronized (this) {
            Integer again = mapIds.get(m);
            if (again != null) {
                return again;
            }
            Integer tid = typeIds.get(key);
            if (tid == null) {
                tid = types.size();
                types.add(key);
                typeIds.put(key, tid);
            }
            int id = maps.size();
            maps.add(new MapInfo(m, type, fixed, tid));
            mapIds.put(m, id);
            return id;
        }
    }

    private TypeKey typeKey(long map, int type) {
        if (r.isString(type)) {
            String kind = r.stringKind(type);
            String name = switch (kind) {
                case "cons" -> "(concatenated string)";
                case "sliced" -> "(sliced string)";
                case "thin" -> "(thin string)";
                default -> "(string)";
            };
            return new TypeKey(name, "string");
        }
        if (r.isClosureType(type)) {
            return new TypeKey("(closure)", "closure");
        }
        if (r.isReceiver(type)) {
            String name = r.constructorName(map);
            if (name == null || name.isEmpty()) {
                name = type == r.typeJsArray ? "Array" : type == r.typeJsObject ? "Object" : "(" + r.typeName(type) + ")";
            }
            return new TypeKey(name, "object");
        }
        return new TypeKey("(" + r.typeName(type) + ")", "internal");
    }

    /** A small open-addressing long → int map, per thread, in front of the shared map registry. */
    static final class LongIntCache {
        static final int MISSING = Integer.MIN_VALUE;
        private long[] keys = new long[1 << 14];
        private int[] vals = new int[1 << 14];
        private int count;

        int get(long k) {
            int mask = keys.length - 1;
            int i = (int) ((k * 0x9E3779B97F4A7C15L) >>> 32) & mask;
            while (true) {
                long kk = keys[i];
                if (kk == k) {
                    return vals[i];
                }
                if (kk == 0) {
                    return MISSING;
                }
                i = (i + 1) & mask;
            }
        }

        void put(long k, int v) {
            if ((count + 1) * 2 > keys.length) {
                long[] ok = keys;
                int[] ov = vals;
                keys = new long[ok.length * 2];
                vals = new int[ok.length * 2];
                count = 0;
                for (int j = 0; j < ok.length; j++) {
                    if (ok[j] != 0) {
                        put(ok[j], ov[j]);
                    }
                }
            }
            int mask = keys.length - 1;
            int i = (int) ((k * 0x9E3779B97F4A7C15L) >>> 32) & mask;
            while (keys[i] != 0 && keys[i] != k) {
                i = (i + 1) & mask;
            }
            if (keys[i] == 0) {
                count++;
            }
            keys[i] = k;
            vals[i] = v;
        }
    }
}
