package dev.leakscope.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The leakscope kernelspec installed once per test run into {@code target/jupyter} (from the compiled classes and
 * the runtime class path Maven wrote), and a way to run Debian's Jupyter tools ({@code /usr/bin/python3},
 * {@code jupyter}) against it with JUPYTER_PATH pointing there. Public: the workbench tests execute exported
 * notebooks with it.
 */
public final class InstalledKernel {

    static final Path PROJECT = Path.of(System.getProperty("leakscope.projectDir", "..")).toAbsolutePath().normalize();
    static final Path KERNEL_MODULE = PROJECT.resolve("kernel");
    static final Path PREFIX = KERNEL_MODULE.resolve("target/jupyter");
    private static boolean installed;

    public record Run(int exitCode, String output) {
    }

    private InstalledKernel() {
    }

    public static synchronized Path prefix() throws IOException {
        if (!installed) {
            Path cpFile = KERNEL_MODULE.resolve("target/kernel-classpath.txt");
            assertThat(cpFile).as("written by maven-dependency-plugin in generate-test-resources").exists();
            String cp = KERNEL_MODULE.resolve("target/classes") + java.io.File.pathSeparator
                    + Files.readString(cpFile).strip();
            System.setProperty("leakscope.home", PROJECT.toString());
            int rc = KernelSpec.install(new String[] {"--prefix", PREFIX.toString(), "--classpath", cp});
            assertThat(rc).isZero();
            installed = true;
        }
        return PREFIX;
    }

    /** Runs a command with JUPYTER_PATH at our kernelspec; fails the test on timeout. */
    public static Run run(Path dir, long timeoutSeconds, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        Path prefix = prefix();
        Path log = Files.createTempFile("leakscope-jupyter", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JUPYTER_PATH", prefix.resolve("share/jupyter").toString());
        pb.environment().put("JUPYTER_DATA_DIR", prefix.resolve("data").toString());
        pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(done).as("%s finished within %d s; output so far:%n%s", List.of(command), timeoutSeconds, out)
                    .isTrue();
            return new Run(p.exitValue(), out);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    public static List<String> python(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/python3");
        cmd.addAll(List.of(args));
        return cmd;
    }
}
