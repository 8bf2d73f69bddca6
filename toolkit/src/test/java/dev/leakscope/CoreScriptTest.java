package dev.leakscope;

import dev.leakscope.core.TestCores;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * examples/01-core.jsh (the cells of notebooks/01-core.ipynb) run by jshell the way {@code ./leakscope shell FILE}
 * runs it — toolkit on the class path, {@code import dev.leakscope.*; import tech.tablesaw.api.*;} at startup — on
 * a real kernel core; its answers checked against GNU strings and grep.
 */
class CoreScriptTest {

    /** This JVM's class path, with surefire's manifest-only jar expanded. */
    static String classPath() throws Exception {
        String cp = System.getProperty("java.class.path");
        List<String> out = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            out.add(e);
            if (e.endsWith(".jar") && Files.isRegularFile(Paths.get(e))) {
                try (JarFile j = new JarFile(e)) {
                    String mcp = j.getManifest() == null ? null : j.getManifest().getMainAttributes().getValue("Class-Path");
                    if (mcp != null) {
                        for (String u : mcp.trim().split("\\s+")) {
                            out.add(u.startsWith("file:") ? Paths.get(URI.create(u)).toString() : u);
                        }
                    }
                }
            }
        }
        return String.join(File.pathSeparator, out);
    }

    @Test
    void theNotebooksCodeRunsInJshellAndAgreesWithGnuStrings(@TempDir Path dir) throws Exception {
        Path core = TestCores.kernel();
        Path data = Files.createDirectories(dir.resolve("artifacts"));
        Files.createSymbolicLink(data.resolve("leak.core"), core);
        Path startup = Files.writeString(dir.resolve("startup.jsh"), "import dev.leakscope.*;\nimport tech.tablesaw.api.*;\n");
        Path out = dir.resolve("out.txt");
        ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "jshell").toString(),
                "--class-path", classPath(), "-R-Xmx1g", "--startup", "DEFAULT", "--startup", startup.toString(),
                Artifacts.root().resolve("examples/01-core.jsh").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("LEAKSCOPE_ARTIFACTS", data.toString());
        Process p = pb.start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        String text = Files.readString(out);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).as(text).doesNotContain("|  Exception", "Error:", "|  Error", "cannot find symbol");
        Path gnu = TestCores.gnuStrings(core);
        long errors = Long.parseLong(TestCores.sh("grep -cE '(Error|ENOMEM|EMFILE|leak)' '" + gnu + "'").trim());
        long uuidDistinct = Long.parseLong(TestCores.sh("grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' '"
                + gnu + "' | sort -u | wc -l").trim());
        assertThat(text).contains("ended with SIGABRT").contains(errors + " strings mention errors or leaks")
                .contains(uuidDistinct + " distinct UUIDs").contains("[stack]");
        // the customers' names the app holds as two-byte V8 strings (which strings -el cannot see)
        assertThat(text).containsAnyOf("Иван Петров", "Мария Соколова", "王小明", "佐藤花子");
    }
}
