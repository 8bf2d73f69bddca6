package dev.leakscope.plot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's headless chromium, offline and with a fresh profile, as a test's independent HTML renderer. */
public final class Chromium {

    private Chromium() {
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/chromium"));
    }

    /** The DOM of {@code html} after its scripts ran (up to a 10 s virtual-time budget). */
    public static String dumpDom(Path html) throws IOException, InterruptedException {
        return run(html, "--dump-dom");
    }

    /** A PNG screenshot of {@code html} at the given window size. */
    public static void screenshot(Path html, Path png, int width, int height) throws IOException, InterruptedException {
        run(html, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars");
    }

    private static String run(Path html, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("leakscope-chromium");
        try {
            List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=10000"));
            cmd.addAll(List.of(extra));
            cmd.add(html.toUri().toString());
            Path out = Files.createTempFile("chromium", ".out"), err = Files.createTempFile("chromium", ".err");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("chromium did not finish in 120 s: " + cmd);
            }
            String dom = Files.readString(out);
            String log = Files.readString(err);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("chromium exited " + p.exitValue() + ": " + log);
            }
            return dom;
        } finally {
            try (var s = Files.walk(profile)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
