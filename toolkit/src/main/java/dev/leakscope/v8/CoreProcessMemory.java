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

    private final CoreFile core;
    private final FileWindows file;
    private final Segment[] segs;
    private final long[] starts;
    private final List<Backing> backing;

    public CoreProcessMemory(CoreFile core) {
        this(core, List.of());
    }

    private CoreProcessMemory(CoreFile core, List<Backing> backing) {
        this.core = core;
        this.backing = backing;
        this.file = core.fileWindows();
        List<Segment> list = new ArrayList<>(core.segments());
        list.sort((a, b) -> Long.compareUnsigned(a.vaddr(), b.vaddr()));
        segs = list.toArray(new Segment[0]);
        starts = new long[segs.length];
        for (int i = 0; i < segs.length; i++) {
            starts[i] = segs[i].vaddr();
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
            return segs[hi];
        }
        return null;
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
        Segment s = at(vaddr);
        if (s != null) {
            long rel = vaddr - s.vaddr();
            if (rel + 8 <= s.present()) {
                return file.getLong(s.fileOffset() + rel);
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
        List<Region> out = new ArrayList<>();
        for (Segment s : segs) {
            out.add(new Region(s.vaddr(), s.end(), (s.flags() & Segment.PF_R) != 0, (s.flags() & Segment.PF_W) != 0,
                    (s.flags() & Segment.PF_X) != 0, s.present(), s.truncated()));
        }
        return out;
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
        return core.processInfo().map(p -> p.pid()).orElseGet(() -> core.threads().isEmpty() ? 0 : core.threads().get(0).tid());
    }

    @Override
    public String source() {
        return core.path().toString();
    }
}
