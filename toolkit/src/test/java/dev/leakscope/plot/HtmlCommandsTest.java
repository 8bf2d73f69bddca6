package dev.leakscope.plot;

import dev.leakscope.cli.Main;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code leakscope report … --format html -o FILE} and {@code leakscope demo} write one HTML file whose plots draw in chromium. */
class HtmlCommandsTest {

    @Test
    void reportWritesOneHtmlFileWithPlotsThatDraw() throws Exception {
        RealLogs leak = RealLogs.leak();
        Path out = Artifacts.dir().resolve("plots-cli").resolve("report.html");
        Files.createDirectories(out.getParent());
        int code = Main.run("report", "--log", leak.log.toString(), leak.dir.resolve("app.err").toString(),
                "--metrics", leak.spans.toString(), "--format", "html", "-o", out.toString());
        assertThat(code).as("exit code 3 = LEAK").isEqualTo(3);
        String html = Files.readString(out);
        assertThat(FigureInChromiumTest.count(html, "window.Plotly = Plotly")).isEqualTo(1);
        assertThat(html).contains("Leak verdict").contains("LEAK:");
        String dom = Chromium.dumpDom(out);
        // memory (with full GCs), GC pauses, event loop (with blocked spans)
        assertThat(FigureInChromiumTest.count(dom, "data-plotted=\"true\"")).isEqualTo(3);
        assertThat(FigureInChromiumTest.count(dom, "data-plot-error=\"")).isZero();
        assertThat(FigureInChromiumTest.legend(dom)).contains("rss", "heapUsed", "full GC (heap after)", "event loop blocked");
    }

    @Test
    void demoEndsByWritingTheHtmlReportAndPrintingItsPath() throws Exception {
        Path want = Artifacts.dir().resolve("plots-cli").resolve("demo.html");
        Files.deleteIfExists(want);
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = Main.run("demo", "--seconds", "6", "--html", want.toString());
        } finally {
            System.setOut(old);
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        Matcher m = Pattern.compile("HTML report \\(.*\\): (.+)$", Pattern.MULTILINE).matcher(printed);
        assertThat(m.find()).as("the demo prints the HTML report's path last").isTrue();
        assertThat(printed.stripTrailing()).endsWith(m.group(1).strip());
        Path page = Path.of(m.group(1).strip());
        assertThat(page).isEqualTo(want.toAbsolutePath());
        String html = Files.readString(page);
        assertThat(html).contains("--mode leak").contains("--mode healthy");
        assertThat(FigureInChromiumTest.count(html, "class=\"leakscope-figure\"")).isGreaterThanOrEqualTo(4);
    }
}
