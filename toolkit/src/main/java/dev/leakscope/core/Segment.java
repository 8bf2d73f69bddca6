package dev.leakscope.core;

/**
 * One PT_LOAD segment of a core: the memory range {@code [vaddr, vaddr + memSize)} of the process, of which the
 * first {@code fileSize} bytes are stored at {@code fileOffset} in the core and the rest read as zeros.
 *
 * @param index       0-based position among the PT_LOAD segments, in address order
 * @param header      index of its program header in the file
 * @param vaddr       first virtual address
 * @param memSize     size in memory
 * @param fileOffset  offset of its data in the core file
 * @param fileSize    bytes stored in the file (p_filesz); less than memSize means zeros follow
 * @param present     bytes of those actually present in the file (less than fileSize when the core is truncated)
 * @param flags       p_flags: 4 = read, 2 = write, 1 = execute
 */
public record Segment(int index, int header, long vaddr, long memSize, long fileOffset, long fileSize, long present,
                      int flags) {

    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    /** First address after the segment. */
    public long end() {
        return vaddr + memSize;
    }

    /** Whether {@code address} lies in {@code [vaddr, end)}. */
    public boolean contains(long address) {
        return Long.compareUnsigned(address, vaddr) >= 0 && Long.compareUnsigned(address, end()) < 0;
    }

    /** {@code "rwx"} style permissions, {@code '-'} for a missing one. */
    public String perms() {
        return ((flags & PF_R) != 0 ? "r" : "-") + ((flags & PF_W) != 0 ? "w" : "-") + ((flags & PF_X) != 0 ? "x" : "-");
    }

    /** Whether the file holds less than p_filesz bytes of this segment (a truncated core). */
    public boolean truncated() {
        return present < fileSize;
    }

    /** Whether {@code fileOff} lies in the data this segment has in the file. */
    public boolean containsFileOffset(long fileOff) {
        return fileOff >= fileOffset && fileOff < fileOffset + present;
    }
}
