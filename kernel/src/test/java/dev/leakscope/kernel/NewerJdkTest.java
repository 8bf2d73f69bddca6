package dev.leakscope.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The kernel's interrupt and System.exit guard on the newest JDK installed beside the build JDK (JDK 20+ has no
 * Thread.stop, 24+ no SecurityManager): the cell bytecode hooks must do the work there. Skipped when no JDK 20+
 * is found under {@code /usr/lib/jvm} (or {@code -Dleakscope.newerJdk=JAVA_HOME}).
 */
class NewerJdkTest {

    @Test
    void interruptAndExitGuardWorkOnANewerJdk() throws Exception {
        Optional<Path> java = newerJava();
        assumeTrue(java.isPresent(), "no JDK 20+ under /usr/lib/jvm");
        Process p = new ProcessBuilder(java.get().toString(), "--add-opens", "jdk.jshell/jdk.jshell=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), NewerJdkCheck.class.getName())
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(180, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("finished: " + out).isTrue();
        assertThat(out).contains("loop: INTERRUPTED").contains("exit: SystemExit: System.exit(3)").contains("after: 42");
        assertThat(p.exitValue()).as(out).isZero();
    }

    /**
     * bin/java of the newest JDK ≥ 20 found (its {@code release} file names the version), with JShell: a runtime
     * without the jdk.jshell module (a JRE another program brought) cannot run the check, and does not count.
     */
    static Optional<Path> newerJava() throws IOException {
        String given = System.getProperty("leakscope.newerJdk");
        if (given != null) {
            return Optional.of(Path.of(given, "bin", "java"));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            List<Path> found = homes.filter(h -> Files.isExecutable(h.resolve("bin/java")) && feature(h) >= 20 && hasJshell(h))
                    .sorted(Comparator.comparingInt(NewerJdkTest::feature).reversed()).toList();
            return found.stream().findFirst().map(h -> h.resolve("bin/java"));
        }
    }

    private static boolean hasJshell(Path home) {
        try {
            return Files.readAllLines(home.resolve("release")).stream()
                    .anyMatch(l -> l.startsWith("MODULES=") && List.of(l.substring(8).replace("\"", "").split(" ")).contains("jdk.jshell"));
        } catch (IOException e) {
            return false;
        }
    }

    private static int feature(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
