package dev.leakscope.heap;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 * The parsed graph and its indexes saved as raw little-endian arrays, so reopening a snapshot skips the JSON
 * and the dominator tree. One file per snapshot under {@code $LEAKSCOPE_CACHE/heap} (default
 * {@code ~/.cache/leakscope/heap}), named by a hash of the absolute path, size and modification time: a changed
 * or replaced snapshot never hits a stale entry. A cache file that cannot be read is ignored and rebuilt.
 */
public final class IndexCache {

    private static final long MAGIC = 0x4c53484541500001L; // "LSHEAP" + version 1
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
        Path tmp = null;
        try {
            Path f = fileFor(g.path);
            Files.createDirectories(f.getParent());
            tmp = Files.createTempFile(f.getParent(), f.getFileName().toString(), ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), CHUNK))) {
                write(out, g, x);
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

    private static void write(DataOutputStream out, HeapGraph g, HeapIndex x) throws IOException {
        out.writeLong(MAGIC);
        out.writeInt(g.nodeFieldCount);
        writeStrings(out, g.nodeTypes);
        writeStrings(out, g.edgeTypes);
        out.writeInt(g.nodeCount);
        writeBytes(out, g.nodeType);
        writeInts(out, g.nodeName);
        writeInts(out, g.nodeId);
        writeInts(out, g.selfSize);
        out.writeInt(g.bigSelfSize.size());
        for (var e : g.bigSelfSize.entrySet()) {
            out.writeInt(e.getKey());
            out.writeLong(e.getValue());
        }
        writeInts(out, g.firstEdge);
        out.writeInt(g.edgeCount);
        writeBytes(out, g.edgeType);
        writeInts(out, g.edgeName);
        writeInts(out, g.edgeTo);
        writeStrings(out, g.strings);
        writeInts(out, g.locations);
        writeInts(out, g.slots == null ? new int[0] : g.slots);
        out.writeInt(g.warnings.size());
        for (HeapGraph.Warning w : g.warnings) {
            out.writeLong(w.offset());
            writeString(out, w.structure());
            writeString(out, w.message());
        }
        writeLongs(out, x.essential);
        writeInts(out, x.retFirst);
        writeInts(out, x.retSrc);
        writeInts(out, x.distance);
        writeInts(out, x.bfsEdge);
        writeInts(out, x.idom);
        writeLongs(out, x.retained);
        writeInts(out, x.domFirst);
        writeInts(out, x.domChild);
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
        g.nodeId = readInts(in);
        g.selfSize = readInts(in);
        int big = in.readInt();
        g.bigSelfSize = new HashMap<>();
        for (int i = 0; i < big; i++) {
            g.bigSelfSize.put(in.readInt(), in.readLong());
        }
        g.firstEdge = readInts(in);
        g.edgeCount = in.readInt();
        g.edgeType = readBytes(in);
        g.edgeName = readInts(in);
        g.edgeTo = readInts(in);
        g.strings = readStrings(in);
        g.locations = readInts(in);
        g.slots = readInts(in);
        if (g.slots.length != g.nodeCount) {
            g.slots = null; // computed on first use
        }
        int w = in.readInt();
        for (int i = 0; i < w; i++) {
            long off = in.readLong();
            g.warnings.add(new HeapGraph.Warning(off, readString(in), readString(in)));
        }
        HeapIndex x = HeapIndex.empty();
        x.essential = readLongs(in);
        x.retFirst = readInts(in);
        x.retSrc = readInts(in);
        x.distance = readInts(in);
        x.bfsEdge = readInts(in);
        x.idom = readInts(in);
        x.retained = readLongs(in);
        x.domFirst = readInts(in);
        x.domChild = readInts(in);
        if (in.readLong() != MAGIC || g.nodeType.length != g.nodeCount || g.firstEdge.length != g.nodeCount + 1
                || x.idom.length != g.nodeCount) {
            return null;
        }
        return new Entry(g, x);
    }

    // ---- raw arrays ----

    private static void writeBytes(OutputStream out, byte[] a) throws IOException {
        new DataOutputStream(out).writeInt(a.length);
        out.write(a);
    }

    private static byte[] readBytes(CacheInput in) throws IOException {
        byte[] a = new byte[checkedLength(in.readInt())];
        in.readFully(a);
        return a;
    }

    private static void writeInts(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a.length);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < a.length; ) {
            int n = Math.min(CHUNK / 4, a.length - i);
            buf.clear();
            buf.asIntBuffer().put(a, i, n);
            out.write(buf.array(), 0, n * 4);
            i += n;
        }
    }

    private static int[] readInts(CacheInput in) throws IOException {
        int[] a = new int[checkedLength(in.readInt())];
        in.readInts(a);
        return a;
    }

    private static void writeLongs(DataOutputStream out, long[] a) throws IOException {
        out.writeInt(a.length);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < a.length; ) {
            int n = Math.min(CHUNK / 8, a.length - i);
            buf.clear();
            buf.asLongBuffer().put(a, i, n);
            out.write(buf.array(), 0, n * 8);
            i += n;
        }
    }

    private static long[] readLongs(CacheInput in) throws IOException {
        long[] a = new long[checkedLength(in.readInt())];
        in.readLongs(a);
        return a;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(CacheInput in) throws IOException {
        byte[] b = new byte[checkedLength(in.readInt())];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeStrings(DataOutputStream out, String[] a) throws IOException {
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
     * Reads the cache file with positional reads into one 16 MB direct buffer (no memory mapping: mapped pages would
     * count in the process's resident size): each array is copied once from the page cache into the heap.
     */
    static final class CacheInput implements AutoCloseable {
        private static final int BUF = 16 << 20;
        private final java.nio.channels.FileChannel ch;
        private final long size;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(BUF);
        private long pos;
        private long bufStart = -1;
        private int bufLen;

        CacheInput(Path f) throws IOException {
            ch = java.nio.channels.FileChannel.open(f);
            size = ch.size();
        }

        /** The buffer positioned at [pos, pos + n), n <= BUF. */
        private ByteBuffer at(int n) throws IOException {
            if (pos + n > size) {
                throw new java.io.EOFException("cache file ends at " + size);
            }
            if (bufStart < 0 || pos < bufStart || pos + n > bufStart + bufLen) {
                buf.clear();
                int want = (int) Math.min(BUF, size - pos);
                buf.limit(want);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        throw new java.io.EOFException("cache file ends early");
                    }
                }
                bufStart = pos;
                bufLen = want;
            }
            ByteBuffer b = buf.duplicate();
            b.limit((int) (pos - bufStart) + n);
            b.position((int) (pos - bufStart));
            pos += n;
            return b;
        }

        int readInt() throws IOException {
            return at(4).order(ByteOrder.BIG_ENDIAN).getInt();
        }

        long readLong() throws IOException {
            return at(8).order(ByteOrder.BIG_ENDIAN).getLong();
        }

        void readFully(byte[] a) throws IOException {
            for (int i = 0; i < a.length; ) {
                int n = Math.min(a.length - i, BUF);
                at(n).get(a, i, n);
                i += n;
            }
        }

        void readInts(int[] a) throws IOException {
            for (int i = 0; i < a.length; ) {
                int n = Math.min(a.length - i, BUF / 4);
                at(4 * n).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(a, i, n);
                i += n;
            }
        }

        void readLongs(long[] a) throws IOException {
            for (int i = 0; i < a.length; ) {
                int n = Math.min(a.length - i, BUF / 8);
                at(8 * n).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(a, i, n);
                i += n;
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
