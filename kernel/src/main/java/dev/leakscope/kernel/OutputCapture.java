package dev.leakscope.kernel;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Replaces {@code System.out}/{@code System.err} with buffers that a flusher hands to the {@link FrontEnd}
 * every {@value #FLUSH_MILLIS} ms and at the end of each cell — one message per batch, not per print — and
 * that stop storing after {@code leakscope.maxOutputBytes} (default 8 MB) per stream per cell, so a cell
 * printing gigabytes neither floods the client nor fills the heap.
 */
final class OutputCapture {

    static final long FLUSH_MILLIS = 40;
    static final long MAX_BYTES = Long.getLong("leakscope.maxOutputBytes", 8L << 20);

    /** The process' real stderr, for the kernel's own log. */
    static final PrintStream ORIGINAL_ERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
            StandardCharsets.UTF_8);

    private final Buffer out = new Buffer();
    private final Buffer err = new Buffer();
    private final ScheduledExecutorService flusher;
    private volatile FrontEnd frontEnd = FrontEnd.NONE;

    OutputCapture() {
        System.setOut(new PrintStream(out, false, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, false, StandardCharsets.UTF_8));
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leakscope-output");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    void frontEnd(FrontEnd fe) {
        frontEnd = fe == null ? FrontEnd.NONE : fe;
    }

    FrontEnd frontEnd() {
        return frontEnd;
    }

    /** Starts a cell: resets the per-cell size limit. */
    void startCell() {
        flush();
        out.reset();
        err.reset();
    }

    /** Sends everything buffered now (before a display, at the end of a cell). */
    synchronized void flush() {
        System.out.flush();
        System.err.flush();
        FrontEnd fe = frontEnd;
        String o = out.drain();
        if (!o.isEmpty()) {
            fe.stdout(o);
        }
        String e = err.drain();
        if (!e.isEmpty()) {
            fe.stderr(e);
        }
    }

    /** Ends a cell: flushes and says how much output was dropped over the limit. */
    void endCell() {
        flush();
        long dropped = out.dropped() + err.dropped();
        if (dropped > 0) {
            frontEnd.stderr(String.format("%n[leakscope: output truncated — %,d more bytes were printed than the "
                    + "%,d-byte limit per cell (-Dleakscope.maxOutputBytes); write big results to a file or "
                    + "return a Table]%n", dropped, MAX_BYTES));
        }
        out.reset();
        err.reset();
    }

    void close() {
        flusher.shutdownNow();
        flush();
    }

    /** A byte buffer that keeps at most {@link #MAX_BYTES} per cell and drains whole UTF-8 characters. */
    private static final class Buffer extends OutputStream {
        private byte[] buf = new byte[8192];
        private int len;
        private long cellBytes;
        private long dropped;

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int n) {
            long room = MAX_BYTES - cellBytes;
            int keep = (int) Math.max(0, Math.min(n, room));
            if (keep < n) {
                dropped += n - keep;
            }
            cellBytes += keep;
            if (keep == 0) {
                return;
            }
            if (len + keep > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + keep));
            }
            System.arraycopy(b, off, buf, len, keep);
            len += keep;
        }

        synchronized String drain() {
            if (len == 0) {
                return "";
            }
            int end = len;
            // do not split a UTF-8 sequence: step back over a trailing incomplete one
            int i = end - 1;
            int back = 0;
            while (i >= 0 && back < 3 && (buf[i] & 0xC0) == 0x80) {
                i--;
                back++;
            }
            if (i >= 0) {
                int lead = buf[i] & 0xFF;
                int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
                if (need > back + 1) {
                    end = i;
                }
            }
            String s = new String(buf, 0, end, StandardCharsets.UTF_8);
            System.arraycopy(buf, end, buf, 0, len - end);
            len -= end;
            if (buf.length > (1 << 20) && len < 8192) {
                buf = Arrays.copyOf(buf, 8192);
            }
            return s;
        }

        synchronized long dropped() {
            return dropped;
        }

        synchronized void reset() {
            cellBytes = len;
            dropped = 0;
        }
    }
}
