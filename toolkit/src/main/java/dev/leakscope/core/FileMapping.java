package dev.leakscope.core;

/**
 * One entry of NT_FILE: a file mapped into the process.
 *
 * @param start      first virtual address
 * @param end        first address after the mapping
 * @param fileOffset offset in the mapped file, in bytes (NT_FILE's page offset × its page size)
 * @param path       the mapped file's path as the kernel (or gdb) recorded it
 */
public record FileMapping(long start, long end, long fileOffset, String path) {

    /** Whether {@code address} lies in this mapping. */
    public boolean contains(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
    }
}
