package dev.leakscope.heap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashMap;

/**
 * The parsed graph, its strings, the dominator tree, retained sizes and distances saved as zstd-compressed arrays,
 * so reopening a snapshot skips the JSON and the dominator pass (what is cheap to recompute — retainers, BFS parents,
 * dominator children — is not saved). The graph is written on a second thread while the index is being built.
 * One file per snapshot under {@code $LEAKSCOPE_CACHE/heap} (default
 * {@code ~/.cache/leakscope/heap}), named by a hash of the absolute path, size and modification time: a changed
 * or replaced snapshot never hits a stale entry. A cache file that cannot be read is ignored and rebuilt.
 */
public final class IndexCache {

    private static final long MAGIC = 0x4c53484541500003L; // "LSHEAP" + version 3
    private static final int CHUNK = 1 << 20;

    private IndexCache() {
    }

    /** The cache directory: {@code $LEAKSCOPE_CACHE} or {@code ~/.cache/leakscope}, plus {@code heap}. */
    public static Path dir() {
        String env = System.getenv("LEAKSCOPE_CACHE");
        String prop = System.getProperty("leakscope.cache");
        Path base = prop != null ? Paths.get(prop)
                : env != null && !env.isBlank() ? Paths.get(env)
                : Paths.get(System.getProperty("user.home"), ".cache", "leakscope");
        return base.resolve("heap");
    }

    /** The cache file for {@code snapshot} as it is now (path + size + mtime). */
    public static Path fileFor(Path snapshot) throws IOException {
        Path abs = snapshot.toAbsolutePath().normalize();
        String key = abs + "\n" + Files.size(abs) + "\n" + Files.getLastModifiedTime(abs).toMillis();
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return dir().resolve(HexFormat.of().formatHex(h, 0, 12) + ".idx");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A loaded cache entry. */
    public record Entry(HeapGraph graph, HeapIndex index) {
    }

    /** The cached graph and index of {@code snapshot}, or null when absent or unreadable. */
    public static Entry load(Path snapshot) {
        try {
            Path f = fileFor(snapshot);
            if (!Files.isRegularFile(f)) {
                return null;
            }
            try (CacheInput in = new CacheInput(f)) {
                return read(in, snapshot);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static final java.util.concurrent.ExecutorService WRITER = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "leakscope-heap-cache-writer");
        t.setDaemon(true);
        return t;
    });
    private static final java.util.Set<java.util.concurrent.Future<?>> PENDING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        // a command line that exits right after printing still leaves a complete cache entry behind
        Runtime.getRuntime().addShutdownHook(new Thread(IndexCache::awaitWrites, "leakscope-heap-cache-flush"));
    }

    /**
     * Saves in the background (on the other core, while the caller already queries the snapshot); the JVM waits for
     * pending saves when it exits. Failures (read-only home, full disk) are ignored: the cache is optional.
     */
    public static void saveLater(HeapGraph g, HeapIndex x) {
        saveLater(g, java.util.concurrent.CompletableFuture.completedFuture(x));
    }

    /**
     * Like {@link #saveLater(HeapGraph, HeapIndex)} with the index still being built: the graph is written while
     * the caller computes the index on its own thread; the index follows when {@code x} completes.
     */
    public static void saveLater(HeapGraph g, java.util.concurrent.Future<HeapIndex> x) {
        java.util.concurrent.Future<?>[] self = new java.util.concurrent.Future<?>[1];
        synchronized (PENDING) {
            self[0] = WRITER.submit(() -> {
                save(g, x);
            });
            PENDING.add(self[0]);
        }
    }

    /** Waits (at most 10 minutes) for background saves to finish. */
    public static void awaitWrites() {
        for (java.util.concurrent.Future<?> f : PENDING) {
            try {
                f.get(10, java.util.concurrent.TimeUnit.MINUTES);
            } catch (Exception e) {
                // the cache is optional
            }
            PENDING.remove(f);
        }
    }

    /** Saves {@code graph} and {@code index} now; failures (read-only home, full disk) are ignored: the cache is optional. */
    public static void save(HeapGraph g, HeapIndex x) {
        save(g, java.util.concurrent.CompletableFuture.completedFuture(x));
    }

    private static void save(HeapGraph g, java.util.concurrent.Future<HeapIndex> x) {
        Path tmp = null;
        try {
            Path f = fileFor(g.path);
            Files.createDirectories(f.getParent());
            tmp = Files.createTempFile(f.getParent(), f.getFileName().toString(), ".tmp");
            try (CacheOutput out = new CacheOutput(tmp)) {
                writeGraph(out, g);
                HeapIndex index;
                try {
                    index = x.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException("index failed", e);
                }
                writeIndex(out, index);
            }
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    private static void writeGraph(CacheOutput out, HeapGraph g) throws IOException {
        out.writeLong(MAGIC);
        out.writeInt(g.nodeFieldCount);
        writeStrings(out, g.nodeTypes);
        writeStrings(out, g.edgeTypes);
        out.writeInt(g.nodeCount);
        out.writeBytes(g.nodeType);
        out.writeInts(g.nodeName);
        out.writeDeltas(g.nodeId);
        out.writeInts(g.selfSize);
        out.writeInt(g.bigSelfSize.size());
        for (var e : g.bigSelfSize.entrySet()) {
            out.writeInt(e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeDeltas(g.firstEdge);
        out.writeInt(g.edgeCount);
        out.writeBytes(g.edgeType);
        out.writeInts(g.edgeName);
        out.writeInts(g.edgeTo);
        StringTable st = g.strings;
        out.writeLongs(st.rawWhere());
        out.writeInts(st.rawBytes());
        out.writeLong(st.rawUsed());
        out.writeInt(st.rawPages().length);
        for (byte[] page : st.rawPages()) {
            out.writeBytes(page);
        }
        out.writeInt(st.rawSeparate().size());
        for (byte[] b : st.rawSeparate()) {
            out.writeBytes(b);
        }
        out.writeInts(g.locations);
        out.writeInt(g.warnings.size());
        for (HeapGraph.Warning w : g.warnings) {
            out.writeLong(w.offset());
            writeString(out, w.structure());
            writeString(out, w.message());
        }
    }

    private static void writeIndex(CacheOutput out, HeapIndex x) throws IOException {
        out.writeLongs(x.essential);
        out.writeInts(x.distance);
        out.writeInts(x.idom);
        out.writeInts(x.retainedSmall);
        out.writeLongs(x.bigRetained);
        out.writeLong(MAGIC);
    }

    private static Entry read(CacheInput in, Path snapshot) throws IOException {
        if (in.readLong() != MAGIC) {
            return null;
        }
        HeapGraph g = new HeapGraph();
        g.path = snapshot;
        g.nodeFieldCount = in.readInt();
        g.nodeTypes = readStrings(in);
        g.edgeTypes = readStrings(in);
        g.resolveTypeCodes();
        g.nodeCount = in.readInt();
        g.nodeType = readBytes(in);
        g.nodeName = readInts(in);
        g.nodeId = readDeltas(in);
        g.selfSize = readInts(in);
        int big = in.readInt();
        g.bigSelfSize = new HashMap<>();
        for (int i = 0; i < big; i++) {
            g.bigSelfSize.put(in.readInt(), in.readLong());
        }
        g.firstEdge = readDeltas(in);
        g.edgeCount = in.readInt();
        g.edgeType = readBytes(in);
        g.edgeName = readInts(in);
        g.edgeTo = readInts(in);
        long[] where = readLongs(in);
        int[] lengths = readInts(in);
        long used = in.readLong();
        byte[][] pages = new byte[checkedLength(in.readInt())][];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = readBytes(in);
        }
        int sep = checkedLength(in.readInt());
        java.util.List<byte[]> separate = new java.util.ArrayList<>(sep);
        for (int i = 0; i < sep; i++) {
            separate.add(readBytes(in));
        }
        if (lengths.length != where.length) {
            return null;
        }
        g.strings = StringTable.raw(where, lengths, pages, separate, used);
        g.locations = readInts(in);
        int w = in.readInt();
        for (int i = 0; i < w; i++) {
            long off = in.readLong();
            g.warnings.add(new HeapGraph.Warning(off, readString(in), readString(in)));
        }
        HeapIndex x = HeapIndex.empty(g);
        x.essential = readLongs(in);
        x.distance = readInts(in);
        x.idom = readInts(in);
        x.retainedSmall = readInts(in);
        x.bigRetained = readLongs(in);
        if (in.readLong() != MAGIC || g.nodeType.length != g.nodeCount || g.firstEdge.length != g.nodeCount + 1
                || x.idom.length != g.nodeCount || x.retainedSmall.length != g.nodeCount || x.distance.length != g.nodeCount
                || g.edgeTo.length != g.edgeCount || x.essential.length != (g.edgeCount + 63) >>> 6) {
            return null;
        }
        return new Entry(g, x);
    }

    // ---- raw arrays ----

    private static byte[] readBytes(CacheInput in) throws IOException {
        byte[] a = new byte[checkedLength(in.readInt())];
        in.readFully(a);
        return a;
    }

    private static int[] readInts(CacheInput in) throws IOException {
        int[] a = new int[checkedLength(in.readInt())];
        in.readInts(a);
        return a;
    }

    private static int[] readDeltas(CacheInput in) throws IOException {
        int[] a = readInts(in);
        for (int i = 1; i < a.length; i++) {
            a[i] += a[i - 1];
        }
        return a;
    }

    private static long[] readLongs(CacheInput in) throws IOException {
        long[] a = new long[checkedLength(in.readInt())];
        in.readLongs(a);
        return a;
    }

    private static void writeString(CacheOutput out, String s) throws IOException {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(CacheInput in) throws IOException {
        byte[] b = new byte[checkedLength(in.readInt())];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeStrings(CacheOutput out, String[] a) throws IOException {
        out.writeInt(a.length);
        for (String s : a) {
            writeString(out, s);
        }
    }

    private static String[] readStrings(CacheInput in) throws IOException {
        String[] a = new String[checkedLength(in.readInt())];
        for (int i = 0; i < a.length; i++) {
            a[i] = readString(in);
        }
        return a;
    }

    private static int checkedLength(int n) throws IOException {
        if (n < 0) {
            throw new IOException("corrupt cache (negative length)");
        }
        return n;
    }

    /**
     * The cache file's bytes, zstd-compressed (level 1: several times smaller for little CPU; writing a file the size
     * of the snapshot costs more wall time than compressing it). Direct buffers only: zstd on heap arrays holds the
     * GC lock, and a big allocation meeting the lock grows the heap instead of collecting. Numbers are
     * little-endian; monotonic arrays (ids, edge offsets) are stored as differences, which compress far better.
     */
    static final class CacheOutput implements AutoCloseable {
        private final java.nio.channels.FileChannel ch;
        private final ByteBuffer raw = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        private final com.github.luben.zstd.ZstdDirectBufferCompressingStreamNoFinalizer z;

        CacheOutput(Path f) throws IOException {
            ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
            ByteBuffer packed = ByteBuffer.allocateDirect(
                    Math.max(CHUNK, com.github.luben.zstd.ZstdDirectBufferCompressingStreamNoFinalizer.recommendedOutputBufferSize()));
            z = new com.github.luben.zstd.ZstdDirectBufferCompressingStreamNoFinalizer(packed, 1) {
                @Override
                protected ByteBuffer flushBuffer(ByteBuffer toFlush) throws IOException {
                    toFlush.flip();
                    while (toFlush.hasRemaining()) {
                        ch.write(toFlush);
                    }
                    toFlush.clear();
                    return toFlush;
                }
            };
        }

        private void room(int n) throws IOException {
            if (raw.remaining() < n) {
                raw.flip();
                while (raw.hasRemaining()) {
                    z.compress(raw);
                }
                raw.clear();
            }
        }

        void writeInt(int v) throws IOException {
            room(4);
            raw.putInt(v);
        }

        void writeLong(long v) throws IOException {
            room(8);
            raw.putLong(v);
        }

        void writeBytes(byte[] a) throws IOException {
            writeInt(a.length);
            for (int i = 0; i < a.length; ) {
                room(1);
                int n = Math.min(raw.remaining(), a.length - i);
                raw.put(a, i, n);
                i += n;
            }
        }

        void writeInts(int[] a) throws IOException {
            writeInt(a.length);
            for (int i = 0; i < a.length; ) {
                room(4);
                int n = Math.min(raw.remaining() / 4, a.length - i);
                raw.asIntBuffer().put(a, i, n);
                raw.position(raw.position() + 4 * n);
                i += n;
            }
        }

        /** {@code a[0], a[1] - a[0], a[2] - a[1], …} (int arithmetic: exact even when it wraps). */
        void writeDeltas(int[] a) throws IOException {
            writeInt(a.length);
            int prev = 0;
            for (int v : a) {
                room(4);
                raw.putInt(v - prev);
                prev = v;
            }
        }

        void writeLongs(long[] a) throws IOException {
            writeInt(a.length);
            for (int i = 0; i < a.length; ) {
                room(8);
                int n = Math.min(raw.remaining() / 8, a.length - i);
                raw.asLongBuffer().put(a, i, n);
                raw.position(raw.position() + 8 * n);
                i += n;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                room(CHUNK);
                z.close();
            } finally {
                ch.close();
            }
        }
    }

    /** Reads what {@link CacheOutput} wrote. */
    static final class CacheInput implements AutoCloseable {
        private final java.nio.channels.FileChannel ch;
        private final ByteBuffer plain = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        private final com.github.luben.zstd.ZstdDirectBufferDecompressingStreamNoFinalizer z;

        CacheInput(Path f) throws IOException {
            ch = java.nio.channels.FileChannel.open(f);
            ByteBuffer packed = ByteBuffer.allocateDirect(CHUNK);
            ch.read(packed);
            packed.flip();
            z = new com.github.luben.zstd.ZstdDirectBufferDecompressingStreamNoFinalizer(packed) {
                @Override
                protected ByteBuffer refill(ByteBuffer toRefill) {
                    toRefill.compact();
                    try {
                        ch.read(toRefill);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    toRefill.flip();
                    return toRefill;
                }
            };
            plain.limit(0);
        }

        /** At least {@code n} (≤ CHUNK) decompressed bytes between position and limit. */
        private void need(int n) throws IOException {
            if (plain.remaining() >= n) {
                return;
            }
            plain.compact();
            try {
                while (plain.position() < n) {
                    if (!z.hasRemaining()) {
                        throw new java.io.EOFException("cache file ends early");
                    }
                    z.read(plain);
                }
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            } catch (RuntimeException e) {
                throw new IOException("corrupt cache: " + e.getMessage(), e);
            }
            plain.flip();
        }

        int readInt() throws IOException {
            need(4);
            return plain.getInt();
        }

        long readLong() throws IOException {
            need(8);
            return plain.getLong();
        }

        void readFully(byte[] a) throws IOException {
            for (int i = 0; i < a.length; ) {
                need(1);
                int n = Math.min(plain.remaining(), a.length - i);
                plain.get(a, i, n);
                i += n;
            }
        }

        void readInts(int[] a) throws IOException {
            for (int i = 0; i < a.length; ) {
                need(4);
                int n = Math.min(plain.remaining() / 4, a.length - i);
                plain.asIntBuffer().get(a, i, n);
                plain.position(plain.position() + 4 * n);
                i += n;
            }
        }

        void readLongs(long[] a) throws IOException {
            for (int i = 0; i < a.length; ) {
                need(8);
                int n = Math.min(plain.remaining() / 8, a.length - i);
                plain.asLongBuffer().get(a, i, n);
                plain.position(plain.position() + 8 * n);
                i += n;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                z.close();
            } finally {
                ch.close();
            }
        }
    }
}
