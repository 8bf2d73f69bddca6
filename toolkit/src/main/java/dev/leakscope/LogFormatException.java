package dev.leakscope;

import java.nio.file.Path;

/** A log or metrics file leakscope cannot read: names the file, the byte offset and what was expected. */
public class LogFormatException extends RuntimeException {

    private final transient Path path;
    private final long offset;

    public LogFormatException(Path path, long offset, String message) {
        super(path + (offset >= 0 ? " @0x" + Long.toHexString(offset) : "") + ": " + message);
        this.path = path;
        this.offset = offset;
    }

    public LogFormatException(Path path, long offset, String message, Throwable cause) {
        this(path, offset, message);
        initCause(cause);
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** Byte offset of the problem, or -1 when it concerns the whole file. */
    public long offset() {
        return offset;
    }
}
