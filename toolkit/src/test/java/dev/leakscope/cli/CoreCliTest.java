package dev.leakscope.cli;

import dev.leakscope.core.TestCores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code leakscope strings} and {@code leakscope core} as users run them: a separate JVM with a small heap
 * (a 1 GB core scans in 64 MB: the file is mapped, never copied onto the heap), output compared byte for byte
 * with GNU strings.
 */
class CoreCliTest {

    record Run(int exit, Path out, String err) {
    }

    static Run cli(Path dir, String xmx, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"), "dev.leakscope.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Run(p.exitValue(), out, Files.readString(err));
    }

    @Test
    void stringsIsAByteExactDropInForGnuStrings(@TempDir Path dir) throws Exception {
        Path core = TestCores.kernel();
        Run r = cli(dir, "64m", "strings", core.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(TestCores.run("cmp", r.out().toString(), TestCores.gnuStrings(core).toString())).isEmpty();

        Run t = cli(dir, "64m", "strings", "-t", "x", core.toString());
        Path gnuT = dir.resolve("gnu-t.txt");
        TestCores.sh("strings -a -t x '" + core + "' > '" + gnuT + "'");
        assertThat(TestCores.run("cmp", t.out().toString(), gnuT.toString())).isEmpty();

        Run el = cli(dir, "64m", "strings", "-el", core.toString());
        assertThat(TestCores.run("cmp", el.out().toString(), TestCores.gnuStrings(core, "-el").toString())).isEmpty();

        Run n8 = cli(dir, "64m", "strings", "-n", "8", "--grep", "Error", core.toString());
        Path gnuN8 = dir.resolve("gnu-n8.txt");
        TestCores.sh("strings -a -n 8 '" + core + "' | grep -E 'Error' > '" + gnuN8 + "'");
        assertThat(TestCores.run("cmp", n8.out().toString(), gnuN8.toString())).isEmpty();
    }

    @Test
    void aClosedPipeEndsQuietlyLikeGnuStrings(@TempDir Path dir) throws Exception {
        Path core = TestCores.kernel();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Path err = dir.resolve("err.txt");
        String out = TestCores.sh("'" + java + "' -Xmx64m -cp '" + System.getProperty("java.class.path")
                + "' dev.leakscope.cli.Main strings '" + core + "' 2> '" + err + "' | head -3");
        assertThat(TestCores.lines(out)).isEqualTo(TestCores.lines(TestCores.sh("strings -a '" + core + "' | head -3")));
        assertThat(Files.readString(err)).isEmpty();
    }

    @Test
    void aGigabyteCoreScansInA64MegabyteHeap(@TempDir Path dir) throws Exception {
        Path core = TestCores.gcore();
        assertThat(Files.size(core)).isGreaterThan(512L << 20);
        Path gnu = TestCores.gnuStrings(core);
        long lines = Long.parseLong(TestCores.sh("wc -l < '" + gnu + "'").trim());

        Run count = cli(dir, "64m", "strings", "--count", core.toString());
        assertThat(count.exit()).as(count.err()).isZero();
        assertThat(Files.readString(count.out()).trim()).isEqualTo(Long.toString(lines));

        Run all = cli(dir, "64m", "strings", core.toString());
        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(TestCores.run("cmp", all.out().toString(), gnu.toString())).isEmpty();

        long grep = Long.parseLong(TestCores.sh("grep -cE '(Error|ENOMEM|EMFILE|leak)' '" + gnu + "'").trim());
        Run g = cli(dir, "64m", "strings", "--count", "--grep", "(Error|ENOMEM|EMFILE|leak)", core.toString());
        assertThat(Files.readString(g.out()).trim()).isEqualTo(Long.toString(grep));
    }

    @Test
    void coreCommandPrintsInfoThreadsAndRegions(@TempDir Path dir) throws Exception {
        Path core = TestCores.kernel();
        Run r = cli(dir, "64m", "core", core.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String out = Files.readString(r.out());
        String gdb = TestCores.run("gdb", "-nx", "-batch", "-ex", "info threads", TestCores.node(), core.toString());
        for (String line : TestCores.lines(gdb)) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(".*\\(LWP (\\d+)\\).*").matcher(line);
            if (m.matches()) {
                assertThat(out).containsPattern("\\|\\s+" + m.group(1) + "\\s+\\|");
            }
        }
        assertThat(out).contains("SIGABRT").contains("command    node").contains(TestCores.node()).contains("[stack]");
        long loads = TestCores.lines(TestCores.run("readelf", "-lW", core.toString())).stream()
                .filter(l -> l.trim().startsWith("LOAD")).count();
        assertThat(out).contains("regions    " + loads);
    }

    @Test
    void badInputIsAClearErrorAndExitCode(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no.core");
        Run r = cli(dir, "64m", "strings", missing.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(missing.toString()).contains("no such file");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello, not a core\n");
        Run c = cli(dir, "64m", "core", text.toString());
        assertThat(c.exit()).isEqualTo(1);
        assertThat(c.err()).contains(text.toString()).contains("not an ELF file").contains("at 0x0");
    }
}
