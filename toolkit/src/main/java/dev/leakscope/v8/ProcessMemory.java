package dev.leakscope.v8;

import java.util.List;

/**
 * The memory of a dead process as the V8 walkers need it: reads by virtual address, the regions to scan,
 * the files mapped (NT_FILE) and the threads' registers. Implemented over a core file by
 * {@link CoreProcessMemory}; kept an interface so the walkers know nothing of ELF cores.
 */
public interface ProcessMemory {

    /**
     * One memory region (a PT_LOAD of a core): the core holds its first {@code held} bytes (0: not dumped);
     * {@code truncated} when the core file ends before bytes it should hold.
     */
    record Region(long start, long end, boolean readable, boolean writable, boolean executable, long held,
                  boolean truncated) {
        public long size() {
            return end - start;
        }

        public boolean dumped() {
            return held > 0;
        }
    }

    /** One file mapping: [start, end) maps {@code path} from byte {@code fileOffset}. */
    record MappedFile(long start, long end, long fileOffset, String path) {
    }

    /** A thread's id and the registers a stack walk starts from. */
    record ThreadRegisters(int tid, long pc, long sp, long fp) {
    }

    /** Copies {@code len} bytes at {@code vaddr}; false (and {@code dst} unspecified) when any byte is not in the core. */
    boolean read(long vaddr, byte[] dst, int off, int len);

    /** The 8-byte little-endian word at {@code vaddr}, or 0 when it is not in the core. */
    long word(long vaddr);

    /** The index in {@link #regions()} of the region holding {@code vaddr}, or -1. */
    default int regionIndex(long vaddr) {
        List<Region> rs = regions();
        int lo = 0;
        int hi = rs.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Region g = rs.get(mid);
            if (Long.compareUnsigned(vaddr, g.start()) < 0) {
                hi = mid - 1;
            } else if (Long.compareUnsigned(vaddr, g.end()) >= 0) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** True when the byte at {@code vaddr} is held by the core. */
    boolean isMapped(long vaddr);

    /** Regions in ascending address order. */
    List<Region> regions();

    /** File mappings (NT_FILE), in the core's order. */
    List<MappedFile> files();

    /** Threads, the first being the one the kernel wrote first. */
    List<ThreadRegisters> threads();

    /** The process id (the main thread's tid). */
    int pid();

    /** The file holding this memory, for messages. */
    String source();

    /** The 4-byte little-endian int at {@code vaddr}, or 0 when it is not in the core. */
    default int int32(long vaddr) {
        long w = word(vaddr & ~7L);
        int shift = (int) (vaddr & 7) * 8;
        if (shift <= 32) {
            return (int) (w >>> shift);
        }
        byte[] b = new byte[4];
        if (!read(vaddr, b, 0, 4)) {
            return 0;
        }
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    /** The unsigned byte at {@code vaddr}, or 0 when it is not in the core. */
    default int u8(long vaddr) {
        return (int) (word(vaddr & ~7L) >>> ((vaddr & 7) * 8)) & 0xff;
    }

    /** The unsigned 16-bit little-endian value at {@code vaddr} (must not cross an 8-byte boundary), or 0. */
    default int u16(long vaddr) {
        return (int) (word(vaddr & ~7L) >>> ((vaddr & 7) * 8)) & 0xffff;
    }
}
