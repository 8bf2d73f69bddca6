package dev.leakscope.testing;

import java.nio.file.Path;

/** Runs test code with leakscope's cache folder (the {@code leakscope.cache} property) at {@code dir}, then puts it back. */
public final class CacheDir {

    /** Test code that may throw. */
    public interface Body {
        void run() throws Exception;
    }

    private CacheDir() {
    }

    public static void with(Path dir, Body body) throws Exception {
        String old = System.getProperty("leakscope.cache");
        System.setProperty("leakscope.cache", dir.toString());
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty("leakscope.cache");
            } else {
                System.setProperty("leakscope.cache", old);
            }
        }
    }
}
