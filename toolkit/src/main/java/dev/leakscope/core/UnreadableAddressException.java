package dev.leakscope.core;

import java.nio.file.Path;

/**
 * A virtual address whose bytes the core does not hold: not in any PT_LOAD segment, or in a segment whose
 * data is missing because the core file is truncated.
 */
public class UnreadableAddressException extends RuntimeException {

    private final long address;

    public UnreadableAddressException(Path path, long address, int length, String why) {
        super(path + ": cannot read " + length + " bytes at address 0x" + Long.toHexString(address) + ": " + why);
        this.address = address;
    }

    /** The virtual address that could not be read. */
    public long address() {
        return address;
    }
}
