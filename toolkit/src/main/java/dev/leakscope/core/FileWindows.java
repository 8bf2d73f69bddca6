package dev.leakscope.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only file mapped lazily in windows of at most {@link #WINDOW} bytes (JDK 17 caps one mapping at
 * 2 GiB), addressed with {@code long} offsets. Nothing is copied onto the heap except what callers ask for.
 * Thread-safe: reads use absolute positions only.
 */
public final class FileWindows implements AutoCloseable {

    /** Window size: 1 GiB. */
    public static final long WINDOW = 1L << 30;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final MappedByteBuffer[] windows;
    private final long window;

    /** Opens {@code path} read-only; nothing is mapped until read. */
    public FileWindows(Path path) throws IOException {
        this(path, WINDOW);
    }

    /** Opens with a custom window size (tests use small windows to exercise window edges). */
    public FileWindows(Path path, long windowSize) throws IOException {
        if (windowSize <= 0 || windowSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("window size " + windowSize);
        }
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.size = channel.size();
        this.window = windowSize;
        long n = (size + windowSize - 1) / windowSize;
        this.windows = new MappedByteBuffer[(int) n];
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** File size in bytes. */
    public long size() {
        return size;
    }

    /** Window size in bytes. */
    public long windowSize() {
        return window;
    }

    /** The window holding file offset {@code off} (mapped on first use), little-endian, absolute reads only. */
    MappedByteBuffer windowAt(long off) {
        int i = (int) (off / window);
        MappedByteBuffer b = windows[i];
        if (b == null) {
            synchronized (windows) {
                b = windows[i];
                if (b == null) {
                    long start = i * window;
                    long len = Math.min(window, size - start);
                    try {
                        b = channel.map(FileChannel.MapMode.READ_ONLY, start, len);
                    } catch (IOException e) {
                        throw new UncheckedIOException(path + ": cannot map 0x" + Long.toHexString(start) + "+0x"
                                + Long.toHexString(len), e);
                    }
                    b.order(ByteOrder.LITTLE_ENDIAN);
                    windows[i] = b;
                }
            }
        }
        return b;
    }

    /** Copies up to {@code len} bytes at file offset {@code off} into {@code dst}; returns the count (short at EOF). */
    public int read(long off, byte[] dst, int dstOff, int len) {
        if (off < 0 || off >= size || len <= 0) {
            return 0;
        }
        int total = 0;
        while (len > 0 && off < size) {
            MappedByteBuffer w = windowAt(off);
            int in = (int) (off % window);
            int n = (int) Math.min(len, Math.min(w.capacity() - in, size - off));
            w.get(in, dst, dstOff, n);
            off += n;
            dstOff += n;
            len -= n;
            total += n;
        }
        return total;
    }

    /**
     * A little-endian read-only view of {@code len} file bytes at {@code off} when they lie in one window (no copy;
     * for hot random reads), else null.
     */
    public java.nio.ByteBuffer slice(long off, int len) {
        if (off < 0 || len < 0 || off > size - len) {
            return null;
        }
        int in = (int) (off % window);
        MappedByteBuffer w = windowAt(off);
        if (in + (long) len > w.capacity()) {
            return null;
        }
        return w.slice(in, len).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The byte at file offset {@code off}. */
    public byte get(long off) {
        checkRange(off, 1);
        return windowAt(off).get((int) (off % window));
    }

    /** The little-endian u64 at file offset {@code off}. */
    public long getLong(long off) {
        checkRange(off, 8);
        int in = (int) (off % window);
        MappedByteBuffer w = windowAt(off);
        if (in + 8 <= w.capacity()) {
            return w.getLong(in);
        }
        byte[] b = new byte[8];
        read(off, b, 0, 8);
        return java.nio.ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The little-endian u32 at file offset {@code off}, as an int. */
    public int getInt(long off) {
        checkRange(off, 4);
        int in = (int) (off % window);
        MappedByteBuffer w = windowAt(off);
        if (in + 4 <= w.capacity()) {
            return w.getInt(in);
        }
        byte[] b = new byte[4];
        read(off, b, 0, 4);
        return java.nio.ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private void checkRange(long off, int n) {
        if (off < 0 || off > size - n) {
            throw new IndexOutOfBoundsException(path + ": " + n + " bytes at 0x" + Long.toHexString(off)
                    + " are past the end of the file (size 0x" + Long.toHexString(size) + ")");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
