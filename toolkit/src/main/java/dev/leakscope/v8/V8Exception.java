package dev.leakscope.v8;

/**
 * Reading JavaScript state from a core failed: the binary does not match the core, the V8 postmortem
 * metadata is missing, or memory the walk needs is not in the core. The message names the file, the
 * address or offset and what was expected.
 */
public class V8Exception extends RuntimeException {

    public V8Exception(String message) {
        super(message);
    }

    public V8Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
