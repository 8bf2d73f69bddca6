package dev.leakscope.core;

import java.nio.file.Path;

/**
 * A core file that cannot be read as an ELF64 little-endian core, or a structure in it that is damaged.
 * The message names the file, the hex file offset, the structure being read and what was expected, e.g.
 * {@code core.58: not an ELF file (magic 4e 4f 54 41 at 0x0, expected 7f 45 4c 46)}.
 */
public class CoreFormatException extends RuntimeException {

    private final transient Path path;
    private final long offset;
    private final String structure;
    private final String problem;

    /**
     * @param path      the file
     * @param offset    file offset of the bad structure, or -1 when no offset applies (missing file…)
     * @param structure what was being read ("ELF header", "program header 3", "note 7"…)
     * @param problem   what was found and what was expected
     */
    public CoreFormatException(Path path, long offset, String structure, String problem) {
        this(path, offset, structure, problem, null);
    }

    public CoreFormatException(Path path, long offset, String structure, String problem, Throwable cause) {
        super(format(path, offset, structure, problem), cause);
        this.path = path;
        this.offset = offset;
        this.structure = structure;
        this.problem = problem;
    }

    static String format(Path path, long offset, String structure, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(path).append(": ");
        if (structure != null && !structure.isEmpty()) {
            sb.append(structure).append(": ");
        }
        sb.append(problem);
        if (offset >= 0) {
            sb.append(" (at 0x").append(Long.toHexString(offset)).append(')');
        }
        return sb.toString();
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** File offset of the bad structure, or -1. */
    public long offset() {
        return offset;
    }

    /** What was found and what was expected (the message without path, structure and offset). */
    public String problem() {
        return problem;
    }

    /** The structure being read. */
    public String structure() {
        return structure;
    }
}
