package dev.leakscope;

import java.nio.file.Path;

/**
 * A heap snapshot that cannot be read: names the file, the byte offset (hex, into the uncompressed JSON) and
 * what was expected there. Damage that still leaves something readable is reported in {@link Heap#warnings()}
 * instead.
 */
public final class HeapSnapshotException extends RuntimeException {

    private final transient Path path;
    private final long offset;

    public HeapSnapshotException(Path path, long offset, String message) {
        this(path, offset, message, null);
    }

    public HeapSnapshotException(Path path, long offset, String message, Throwable cause) {
        super(path + (offset >= 0 ? " at 0x" + Long.toHexString(offset) : "") + ": " + message, cause);
        this.path = path;
        this.offset = offset;
    }

    /** The snapshot file. */
    public Path path() {
        return path;
    }

    /** Byte offset into the (uncompressed) JSON where reading failed, or -1 when not tied to one place. */
    public long offset() {
        return offset;
    }
}
