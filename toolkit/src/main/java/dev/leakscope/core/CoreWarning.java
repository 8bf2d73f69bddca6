package dev.leakscope.core;

/**
 * Something wrong with a core that still let it open: a truncated segment, a damaged note… What could be read
 * is available; this says what could not.
 *
 * @param offset    file offset of the structure concerned, or -1
 * @param structure the structure ("segment 412", "note 7 (NT_FILE)"…)
 * @param message   what is wrong and what it means for the answers
 */
public record CoreWarning(long offset, String structure, String message) {

    @Override
    public String toString() {
        return structure + ": " + message + (offset >= 0 ? " (at 0x" + Long.toHexString(offset) + ")" : "");
    }
}
