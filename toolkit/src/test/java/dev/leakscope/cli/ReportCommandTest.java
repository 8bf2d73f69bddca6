package dev.leakscope.cli;

import dev.leakscope.testing.Captured;
import dev.leakscope.logs.RealRuns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code leakscope report} and {@code demo} on the real runs: the report, its formats and the exit codes. */
class ReportCommandTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void make() {
        RealRuns.makeAll();
    }

    /** The command line run in this JVM, its output captured. */
    static Captured run(String... args) {
        try {
            return Captured.run(() -> Main.run(args));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void leakExitsThreeWithTheSeedsFigures() {
        Path d = RealRuns.run("leak", true);
        Captured r = run("report", "--log", d.resolve("app.log").toString(), d.resolve("app.err").toString(),
                "--metrics", d.resolve("spans.json").toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.out()).contains("=== Memory Analysis Report ===").contains("Sample count: ")
                .contains("Initial RSS:").contains("Final RSS:").contains("Max RSS:").contains("V8 heap (heapUsed):")
                .contains("External memory:").contains("ArrayBuffers:").contains("Full GCs (Mark-Compact):")
                .contains("Conclusion: MEMORY LEAK DETECTED").contains("EVENT LOOP BLOCKED");
        // the sample count is what grep counts
        int samples = Integer.parseInt(RealRuns.tool("grep", "-c", "^  rss: ", d.resolve("app.log").toString()).get(0));
        assertThat(r.out()).contains("Sample count: " + samples + "\n");
    }

    @Test
    void healthyExitsZero() {
        Path d = RealRuns.run("healthy", false);
        Captured r = run("report", "--log", d.resolve("app.log").toString(), "--format", "md");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).startsWith("# Memory Analysis Report").contains("| series |").contains("NO MEMORY LEAK DETECTED");
    }

    @Test
    void htmlToAFile() throws IOException {
        Path d = RealRuns.run("leak", false);
        Path html = tmp.resolve("report.html");
        Captured r = run("report", "--log", d.resolve("app.log").toString(), "--metrics", d.resolve("scrapes.prom").toString(),
                "--format", "html", "-o", html.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("LEAK").contains(html.toString());
        String page = Files.readString(html);
        assertThat(page.startsWith("<!DOCTYPE html>")).as("an HTML page").isTrue();
        assertThat(page.contains("<table")).as("with tables").isTrue();
        assertThat(page.contains("Leak verdict")).as("with the leak verdict").isTrue();
    }

    @Test
    void emptyLogIsInconclusiveFour() throws IOException {
        Path f = tmp.resolve("empty.log");
        Files.writeString(f, "");
        Captured r = run("report", "--log", f.toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.out()).contains("INCONCLUSIVE");
    }

    @Test
    void unreadableInputExitsOneNamingTheFile() throws IOException {
        Path f = tmp.resolve("notes.txt");
        Files.writeString(f, "hello\nworld\n");
        Captured r = run("report", "--log", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(f.toString()).contains("unknown log format").contains("hello");
        assertThat(run("report").code()).isEqualTo(2);
        assertThat(run("report", "--log", f.toString(), "--format", "pdf").code()).isEqualTo(2);
    }

    @Test
    void demoRunsBothModes() {
        Captured r = run("demo", "--seconds", "6");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("orders-service --mode leak").contains("orders-service --mode healthy");
        assertThat(r.out().split("=== Memory Analysis Report").length).isEqualTo(3);
    }
}
