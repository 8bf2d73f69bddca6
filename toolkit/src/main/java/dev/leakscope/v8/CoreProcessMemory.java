package dev.leakscope.v8;

import dev.leakscope.core.CoreFile;
import dev.leakscope.core.FileMapping;
import dev.leakscope.core.FileWindows;
import dev.leakscope.core.Segment;
import dev.leakscope.core.ThreadState;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ProcessMemory} over a {@link CoreFile}: its PT_LOAD segments, NT_FILE mappings and NT_PRSTATUS
 * threads. Memory the core does not hold reads as unreadable, except where a backing file is given: kernel
 * cores leave out unmodified file-backed pages (the node binary's read-only data, where V8 keeps the
 * sources of node's built-in modules), and those are read from the file, as debuggers do.
 */
public final class CoreProcessMemory implements ProcessMemory {

    private record Backing(long start, long end, long fileOffset, MappedByteBuffer data) {
    }

    private static final int PAGE_SHIFT = 12;   // segments are page aligned: one table entry per 4 KiB page held
    private static final long MAX_TABLE_PAGES = 1L << 24;

    private final CoreFile core;
    private final FileWindows file;
    private final Segment[] segs;
    private final long[] starts;
    private final java.nio.ByteBuffer[] views;   // zero-copy view of each segment's bytes in the file, or null
    private final long[] pageKeys;               // page number + 1 -> segment index (absent: not held)
    private final int[] pageVals;
    private final boolean pageTable;
    private static final int COARSE_SHIFT = 18; // 256 KiB: V8 heap pages; a small first-level table that stays in cache
    private final long[] coarseKeys;             // coarse page + 1 -> segment index, or -2: look in the 4 KiB table
    private final int[] coarseVals;
    private final List<Region> regions;
    private final List<Backing> backing;

    public CoreProcessMemory(CoreFile core) {
        this(core, List.of());
    }

    private CoreProcessMemory(CoreFile core, List<Backing> backing) {
        this.core = core;
        this.backing = backing;   // the tables below are rebuilt (cheap: O(pages of the core))
        this.file = core.fileWindows();
        List<Segment> list = new ArrayList<>(core.segments());
        list.sort((a, b) -> Long.compareUnsigned(a.vaddr(), b.vaddr()));
        segs = list.toArray(new Segment[0]);
        starts = new long[segs.length];
        views = new java.nio.ByteBuffer[segs.length];
        long pages = 0;
        for (int i = 0; i < segs.length; i++) {
            starts[i] = segs[i].vaddr();
            if (segs[i].present() > 0 && segs[i].present() <= Integer.MAX_VALUE) {
                views[i] = file.slice(segs[i].fileOffset(), (int) segs[i].present());
            }
            pages += (segs[i].present() + (1 << PAGE_SHIFT) - 1) >>> PAGE_SHIFT;
        }
        pageTable = pages <= MAX_TABLE_PAGES;
        int cap = pageTable ? Integer.highestOneBit((int) Math.max(16, pages * 2)) << 1 : 1;
        pageKeys = new long[cap];
        pageVals = new int[cap];
        for (int i = 0; pageTable && i < segs.length; i++) {
            Segment g = segs[i];
            if (g.present() <= 0) {
                continue;
            }
            long last = (g.vaddr() + g.present() - 1) >>> PAGE_SHIFT;
            for (long p = g.vaddr() >>> PAGE_SHIFT; p <= last; p++) {
                putPage(p, i);
            }
        }
        long coarse = (pages >>> (COARSE_SHIFT - PAGE_SHIFT)) + 2L * segs.length + 16;
        int ccap = pageTable ? Integer.highestOneBit((int) Math.min(1 << 24, coarse * 2)) << 1 : 1;
        coarseKeys = new long[ccap];
        coarseVals = new int[ccap];
        for (int i = 0; pageTable && i < segs.length; i++) {
            Segment g = segs[i];
            if (g.present() <= 0) {
                continue;
            }
            long end = g.vaddr() + g.present();
            for (long p = g.vaddr() >>> COARSE_SHIFT; p <= (end - 1) >>> COARSE_SHIFT; p++) {
                boolean whole = (p << COARSE_SHIFT) >= g.vaddr() && ((p + 1) << COARSE_SHIFT) <= end;
                putCoarse(p, whole ? i : -2);
            }
        }
        List<Region> rs = new ArrayList<>();
        for (Segment g : segs) {
            rs.add(new Region(g.vaddr(), g.end(), (g.flags() & Segment.PF_R) != 0, (g.flags() & Segment.PF_W) != 0,
                    (g.flags() & Segment.PF_X) != 0, g.present(), g.truncated()));
        }
        regions = List.copyOf(rs);
    }

    private void putCoarse(long page, int val) {
        int mask = coarseKeys.length - 1;
        long key = page + 1;
        int i = (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        while (coarseKeys[i] != 0 && coarseKeys[i] != key) {
            i = (i + 1) & mask;
        }
        if (coarseKeys[i] == key) {
            coarseVals[i] = -2;   // shared by segments: decide per 4 KiB page
            return;
        }
        coarseKeys[i] = key;
        coarseVals[i] = val;
    }

    private void putPage(long page, int val) {
        int mask = pageKeys.length - 1;
        long key = page + 1;
        int i = (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        while (pageKeys[i] != 0 && pageKeys[i] != key) {
            i = (i + 1) & mask;
        }
        if (pageKeys[i] == 0) {   // overlapping segments: the first one wins, as in the binary search
            pageKeys[i] = key;
            pageVals[i] = val;
        }
    }

    public CoreFile core() {
        return core;
    }

    /**
     * This memory with {@code file} backing the NT_FILE mappings recorded for {@code mappedPath}: pages the core
     * does not hold are read from the file (which must be the same build, see {@link NodeProcess}).
     */
    public CoreProcessMemory withBackingFile(String mappedPath, Path file) {
        List<Backing> b = new ArrayList<>(backing);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            for (FileMapping m : core.fileMappings()) {
                if (!m.path().equals(mappedPath) || m.fileOffset() >= size) {
                    continue;
                }
                long len = Math.min(m.end() - m.start(), size - m.fileOffset());
                if (len <= 0 || len > Integer.MAX_VALUE) {
                    continue;
                }
                MappedByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, m.fileOffset(), len);
                data.order(ByteOrder.LITTLE_ENDIAN);
                b.add(new Backing(m.start(), m.start() + len, m.fileOffset(), data));
            }
        } catch (IOException e) {
            throw new V8Exception("cannot map " + file + " to back " + mappedPath + ": " + e.getMessage(), e);
        }
        return new CoreProcessMemory(core, List.copyOf(b));
    }

    private Backing backingAt(long vaddr, int len) {
        for (Backing b : backing) {
            if (vaddr >= b.start() && vaddr <= b.end() - len) {
                return b;
            }
        }
        return null;
    }

    private Segment at(long vaddr) {
        int i = atIndex(vaddr);
        return i < 0 ? null : segs[i];
    }

    private int atIndex(long vaddr) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(starts[mid], vaddr) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (hi >= 0 && segs[hi].contains(vaddr)) {
            return hi;
        }
        return -1;
    }

    /** The index of the segment whose held bytes include {@code vaddr}, else -1 (also for bytes not held). */
    @Override
    public int regionIndex(long vaddr) {
        if (!pageTable) {
            int i = atIndex(vaddr);
            return i >= 0 && vaddr - segs[i].vaddr() < segs[i].present() ? i : -1;
        }
        int cmask = coarseKeys.length - 1;
        long ckey = (vaddr >>> COARSE_SHIFT) + 1;
        int c = (int) ((ckey * 0x9E3779B97F4A7C15L) >>> 32) & cmask;
        while (true) {
            long k = coarseKeys[c];
            if (k == ckey) {
                int v = coarseVals[c];
                if (v >= 0) {
                    return v;
                }
                break;
            }
            if (k == 0) {
                return -1;
            }
            c = (c + 1) & cmask;
        }
        int mask = pageKeys.length - 1;
        long key = (vaddr >>> PAGE_SHIFT) + 1;
        int i = (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        while (true) {
            long k = pageKeys[i];
            if (k == key) {
                return pageVals[i];
            }
            if (k == 0) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    @Override
    public boolean read(long vaddr, byte[] dst, int off, int len) {
        Segment s = at(vaddr);
        if (s != null && vaddr - s.vaddr() + len <= s.present()) {
            return core.read(vaddr, dst, off, len) == len;
        }
        Backing b = backingAt(vaddr, len);
        if (b != null) {
            b.data().get((int) (vaddr - b.start()), dst, off, len);
            return true;
        }
        // spans segments: every byte must be held by the core
        int done = 0;
        while (done < len) {
            Segment t = at(vaddr + done);
            if (t == null) {
                return false;
            }
            long rel = vaddr + done - t.vaddr();
            if (rel >= t.present()) {
                return false;
            }
            int n = (int) Math.min(len - done, t.present() - rel);
            if (core.read(vaddr + done, dst, off + done, n) != n) {
                return false;
            }
            done += n;
        }
        return true;
    }

    @Override
    public long word(long vaddr) {
        int ri = regionIndex(vaddr);
        if (ri >= 0) {
            Segment s = segs[ri];
            long rel = vaddr - s.vaddr();
            if (rel + 8 <= s.present()) {
                java.nio.ByteBuffer v = views[ri];
                return v != null ? v.getLong((int) rel) : file.getLong(s.fileOffset() + rel);
            }
        }
        if (!backing.isEmpty()) {
            Backing b = backingAt(vaddr, 8);
            if (b != null) {
                return b.data().getLong((int) (vaddr - b.start()));
            }
        }
        return 0;
    }

    @Override
    public boolean isMapped(long vaddr) {
        Segment s = at(vaddr);
        return (s != null && vaddr - s.vaddr() < s.present()) || backingAt(vaddr, 1) != null;
    }

    @Override
    public List<Region> regions() {
        return regions;
    }

    @Override
    public List<MappedFile> files() {
        List<MappedFile> out = new ArrayList<>();
        for (FileMapping m : core.fileMappings()) {
            out.add(new MappedFile(m.start(), m.end(), m.fileOffset(), m.path()));
        }
        return out;
    }

    @Override
    public List<ThreadRegisters> threads() {
        List<ThreadRegisters> out = new ArrayList<>();
        for (ThreadState t : core.threads()) {
            out.add(new ThreadRegisters(t.tid(), t.pc(), t.sp(), t.fp()));
        }
        return out;
    }

    @Override
    public int pid() {
        return core.pid();
    }

    @Override
    public String source() {
        return core.path().toString();
    }
}
