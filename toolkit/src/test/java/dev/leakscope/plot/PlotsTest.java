package dev.leakscope.plot;

import dev.leakscope.Figure;
import dev.leakscope.Plots;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import static dev.leakscope.plot.Json.arr;
import static dev.leakscope.plot.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Figures from tables of a real run of the example app (node --trace-gc, leak mode, 20 s). */
class PlotsTest {

    static RealLogs leak;
    static Table memory, gc, eventLoop, blocked;

    @BeforeAll
    static void logs() {
        leak = RealLogs.leak();
        memory = leak.memory();
        gc = leak.gc();
        eventLoop = leak.eventLoop();
        blocked = leak.blocked();
        assertThat(memory.rowCount()).as("memoryUsage blocks in %s", leak.log).isGreaterThanOrEqualTo(50);
        assertThat(gc.rowCount()).isGreaterThan(10);
    }

    static Map<String, Object> trace(Map<String, Object> fig, String name) {
        return arr(fig.get("data")).stream().map(Json::obj).filter(t -> name.equals(t.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no trace " + name + " in " + fig.keySet()));
    }

    @Test
    void memoryFigureCarriesEveryInputPoint() {
        Figure f = Plots.memory(memory, gc);
        Map<String, Object> fig = obj(Json.parse(f.json()));
        // as many samples as the raw log has memoryUsage blocks (grep, not our reader)
        long blocks = leak.lines.stream().filter(l -> l.matches("^\\s*rss: \\d+,?$")).count();
        assertThat(memory.rowCount()).isEqualTo((int) blocks);
        for (String col : List.of("rss", "heapTotal", "heapUsed", "external", "arrayBuffers")) {
            Map<String, Object> t = trace(fig, col);
            List<Object> x = arr(t.get("x")), y = arr(t.get("y"));
            assertThat(y).hasSize(memory.rowCount());
            for (int i = 0; i < memory.rowCount(); i++) {
                assertThat((Double) y.get(i)).isCloseTo(memory.numberColumn(col).getDouble(i) / 1048576.0, within(1e-9));
                Instant at = memory.instantColumn("time").get(i);
                assertThat(x.get(i)).isEqualTo(at == null ? null : PlotlyJson.PLOTLY_TIME.format(at));
            }
        }
        // the rss line is the raw "rss:" values, in order
        List<Double> rawRss = leak.lines.stream().filter(l -> l.matches("^\\s*rss: \\d+,?$"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1048576.0).toList();
        assertThat(arr(trace(fig, "rss").get("y"))).containsExactlyElementsOf(rawRss.stream().map(d -> (Object) d).toList());
        assertThat(obj(obj(fig.get("layout")).get("xaxis")).get("type")).isEqualTo("date");
    }

    @Test
    void fullGcMarkersAreTheMarkCompactsOfTheRawLog() {
        List<Double> raw = leak.lines.stream().map(RealLogs.GC::matcher).filter(Matcher::find)
                .filter(m -> m.group(3).startsWith("Mark-Compact")).map(m -> Double.parseDouble(m.group(6))).toList();
        assertThat(raw.size()).as("a 60 s leaking run does several full GCs").isGreaterThanOrEqualTo(3);
        Map<String, Object> fig = obj(Json.parse(Plots.memory(memory, gc).json()));
        Map<String, Object> markers = trace(fig, "full GC (heap after)");
        // the markers are the "-> X" heap sizes of those raw lines (trace-gc prints MB of 1024², one decimal)
        List<Object> y = arr(markers.get("y"));
        assertThat(y).hasSize(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            assertThat((Double) y.get(i)).isCloseTo(raw.get(i), within(0.051));
        }
        // the trend line spans the first to the last full GC and, in a leaking run, rises
        Map<String, Object> trend = arr(fig.get("data")).stream().map(Json::obj)
                .filter(t -> String.valueOf(t.get("name")).startsWith("post-GC floor trend")).findFirst().orElseThrow();
        List<Object> ty = arr(trend.get("y"));
        assertThat((Double) ty.get(1)).isGreaterThan((Double) ty.get(0));
        assertThat(arr(trend.get("x")).get(0)).isEqualTo(arr(markers.get("x")).get(0));
        assertThat(String.valueOf(trend.get("name"))).matches("post-GC floor trend \\+\\d+\\.\\d\\d MiB/min");
    }

    @Test
    void memoryOfLogsCarriesTheVerdict() {
        Figure f = Plots.memory(leak.logs());
        String verdict = dev.leakscope.Leak.verdict(leak.logs()).headline();
        assertThat(f.chart().notes()).extracting(Chart.Note::text).contains(verdict);
        Map<String, Object> layout = obj(obj(Json.parse(f.json())).get("layout"));
        assertThat(arr(layout.get("annotations")).stream().map(a -> String.valueOf(obj(a).get("text"))))
                .contains(PlotlyJson.text(verdict).replace("\n", "<br>"));
    }

    @Test
    void healthyRunHasAFlatterFloorThanTheLeak() {
        RealLogs healthy = RealLogs.healthy();
        double leakSlope = slope(Plots.memory(memory, gc));
        Figure h = Plots.memory(healthy.memory(), healthy.gc());
        double healthySlope = h.chart().series().stream().anyMatch(s -> s.name().startsWith("post-GC floor trend")) ? slope(h) : 0;
        assertThat(leakSlope).isGreaterThan(5 * Math.max(0.2, healthySlope));
    }

    private static double slope(Figure f) {
        String name = f.chart().series().stream().map(Chart.Series::name).filter(n -> n.startsWith("post-GC floor trend"))
                .findFirst().orElseThrow(() -> new AssertionError("no trend in " + f));
        return Double.parseDouble(name.substring("post-GC floor trend ".length()).replace(" MiB/min", ""));
    }

    @Test
    void gcPausesPlotEveryGcLineOfTheRawLog() {
        List<Matcher> raw = leak.lines.stream().map(RealLogs.GC::matcher).filter(Matcher::find).toList();
        Map<String, Object> fig = obj(Json.parse(Plots.gcPauses(gc).json()));
        int points = 0;
        double sum = 0;
        for (Object o : arr(fig.get("data"))) {
            for (Object y : arr(obj(o).get("y"))) {
                points++;
                sum += (Double) y;
            }
        }
        assertThat(points).isEqualTo(raw.size());
        assertThat(sum).isCloseTo(raw.stream().mapToDouble(m -> Double.parseDouble(m.group(8))).sum(), within(1e-6));
    }

    @Test
    void eventLoopShadesEveryBlockedSpan() throws Exception {
        String otlp = Files.readString(leak.spans);
        int spans = otlp.split("\"name\":\"event-loop-blocked\"", -1).length - 1;
        assertThat(spans).as("150 ms blocks every 7 s for 60 s").isGreaterThanOrEqualTo(5);
        Figure f = Plots.eventLoop(eventLoop, blocked);
        Map<String, Object> layout = obj(obj(Json.parse(f.json())).get("layout"));
        assertThat(arr(layout.get("shapes"))).hasSize(spans);
        assertThat(obj(layout.get("yaxis2")).get("overlaying")).isEqualTo("y");
        assertThat(f.toString()).contains(spans + " shaded spans");
    }

    @Test
    void pngFallbackDecodesAtTheFigureSizeAndShowsTheSeries() throws Exception {
        Figure f = Plots.memory(memory, gc);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.png()));
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(img.getHeight()).isEqualTo(450);
        // every line colour and the full-GC marker red are really drawn
        for (String color : List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728")) {
            assertThat(pixels(img, color)).as("pixels of %s", color).isGreaterThan(30);
        }
        Figure small = f.size(400, 300);
        BufferedImage s = ImageIO.read(new ByteArrayInputStream(small.png()));
        assertThat(s.getWidth()).isEqualTo(400);
        assertThat(s.getHeight()).isEqualTo(300);
        assertThat(f.png()).as("immutable: resizing made a new figure").isEqualTo(f.png());
    }

    static int pixels(BufferedImage img, String css) {
        int rgb = Integer.parseInt(css.substring(1), 16);
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void svgIsWellFormedWithOnePolylinePerLine() throws Exception {
        Figure f = Plots.memory(memory, gc);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(f.svg().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(d.getDocumentElement().getTagName()).isEqualTo("svg");
        // 5 memory lines + the trend line (no gaps in this log)
        assertThat(d.getElementsByTagName("polyline").getLength()).isEqualTo(6);
        assertThat(d.getElementsByTagName("path").getLength()).as("one glyph per full-GC marker")
                .isEqualTo(f.chart().series().stream().filter(s -> s.name().startsWith("full GC")).findFirst().orElseThrow().size());
    }

    @Test
    void figuresAreImmutableAndSaveByExtension(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Figure f = Plots.gcPauses(gc);
        Figure g = f.title("pauses").annotate("checked by hand");
        assertThat(f.title()).isEqualTo("GC pauses");
        assertThat(g.title()).isEqualTo("pauses");
        assertThat(f.chart().notes()).hasSize(1);
        assertThat(g.chart().notes()).hasSize(2);
        assertThat(ImageIO.read(f.save(dir.resolve("a.png")).toFile()).getWidth()).isEqualTo(900);
        assertThat(Files.readString(f.save(dir.resolve("a.svg")))).startsWith("<svg");
        Json.parse(Files.readString(f.save(dir.resolve("a.json"))));
        String html = Files.readString(f.save(dir.resolve("sub/a.html")));
        assertThat(html).contains("window.Plotly = Plotly").contains("data:image/png;base64,");
        assertThat(html).doesNotContainPattern("<script[^>]+src=").doesNotContain("cdn.plot.ly/plotly");
    }

    @Test
    void mimeBundleEmbedsPlotlyOncePerSession() {
        PlotlyJs.resetSessionEmbed();
        Map<String, String> first = Plots.gcPauses(gc).mimeBundle(), second = Plots.memory(memory).mimeBundle();
        assertThat(first).containsKeys("text/plain", "text/html", "image/png");
        assertThat(first.get("text/html")).contains("window.Plotly = Plotly");
        assertThat(second.get("text/html")).doesNotContain("window.Plotly = Plotly").contains("Plotly.newPlot");
        assertThat(first.get("text/plain")).startsWith("Figure: GC pauses");
        assertThat(java.util.Base64.getDecoder().decode(second.get("image/png"))).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void anEmptyLogGivesEmptyFiguresNotErrors(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.log"), "");
        dev.leakscope.Logs logs = dev.leakscope.Logs.open(empty);
        for (Figure f : List.of(Plots.memory(logs.memory(), logs.gc()), Plots.gcPauses(logs.gc()),
                Plots.eventLoop(logs.eventLoop(), null))) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.png()));
            assertThat(img.getWidth()).isEqualTo(f.chart().width());
            Json.parse(f.json());
            assertThat(f.chart().series()).allMatch(s -> s.size() == 0);
        }
    }

    @Test
    void aLogWithoutAClockIsPlottedBySample(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // the seed's benchmark.log: bare console.log(process.memoryUsage()) blocks, no timestamps — from a real node
        Path log = dir.resolve("bare.log");
        Process p = new ProcessBuilder("node", "-e", "const a=[];for(let i=0;i<6;i++){a.push(Buffer.alloc(1<<20,1).toString());"
                + "console.log(process.memoryUsage())}").redirectOutput(log.toFile()).start();
        assertThat(p.waitFor()).isZero();
        dev.leakscope.Logs logs = dev.leakscope.Logs.open(log);
        assertThat(logs.memory().rowCount()).isEqualTo(6);
        Figure f = Plots.memory(logs.memory(), logs.gc());
        assertThat(f.chart().x().title()).startsWith("sample");
        Map<String, Object> rss = trace(obj(Json.parse(f.json())), "rss");
        assertThat(arr(rss.get("x"))).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
        assertThat(pixels(ImageIO.read(new ByteArrayInputStream(f.png())), "#1f77b4")).isGreaterThan(30);
    }

    @Test
    void missingColumnsAreNamedInTheError() {
        Table t = Table.create("x", StringColumn.create("when"), DoubleColumn.create("rss"));
        assertThatThrownBy(() -> Plots.memory(t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no column time or timestamp or elapsedS or uptimeMs").hasMessageContaining("when, rss");
        assertThatThrownBy(() -> Plots.gcPauses(memory)).hasMessageContaining("pauseMs");
        assertThatThrownBy(() -> Plots.strings(memory, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longSeriesAreThinnedKeepingTheirPeaks() {
        int before = Plots.maxPoints();
        try {
            Plots.maxPoints(24);
            Figure f = Plots.memory(memory);
            for (String col : List.of("rss", "heapUsed", "external")) {
                Chart.Series s = f.chart().series().stream().filter(x -> x.name().equals(col)).findFirst().orElseThrow();
                double[] all = Columns.numbers(memory.column(col));
                assertThat(s.size()).isLessThanOrEqualTo(24).isLessThan(all.length);
                double[] y = s.y();
                assertThat(java.util.Arrays.stream(y).max().getAsDouble())
                        .isEqualTo(java.util.Arrays.stream(all).max().getAsDouble() / 1048576.0);
                assertThat(java.util.Arrays.stream(y).min().getAsDouble())
                        .isEqualTo(java.util.Arrays.stream(all).min().getAsDouble() / 1048576.0);
                assertThat(y[0]).isEqualTo(all[0] / 1048576.0);
                assertThat(y[y.length - 1]).isEqualTo(all[all.length - 1] / 1048576.0);
            }
            assertThat(f.toString()).contains("drawn: ").contains(" of " + 5 * memory.rowCount() + " points");
            Plots.maxPoints(10);
            Figure g = Plots.gcPauses(gc);
            double longest = Columns.numbers(gc.column("pauseMs")).length == 0 ? 0
                    : java.util.Arrays.stream(Columns.numbers(gc.column("pauseMs"))).max().getAsDouble();
            assertThat(g.chart().series()).allMatch(s -> s.size() <= 10);
            assertThat(g.chart().series().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y())).max().getAsDouble()).isEqualTo(longest);
        } finally {
            Plots.maxPoints(before);
        }
        assertThat(Plots.memory(memory).toString()).doesNotContain("drawn: ");
    }

    @Test
    void redactedBarsStayApartWhenMaskingMakesTheirLabelsEqual() {
        Table t = Table.create("s", StringColumn.create("text", "sk_live_aaaaaaaaaaaa", "sk_live_bbbbbbbbbbbb", "plain"),
                DoubleColumn.create("count", 5.0, 4.0, 3.0));
        Figure r = Plots.strings(t, 10).redact();
        List<Object> labels = arr(obj(arr(obj(Json.parse(r.json())).get("data")).get(0)).get("y"));
        assertThat(labels).containsExactly("sk_live_****", "sk_live_**** (2)", "plain");
        assertThat(r.json()).doesNotContain("aaaaaaaaaaaa").doesNotContain("bbbbbbbbbbbb");
    }

    @Test
    void scriptBreakingTextInLabelsCannotEndTheScript() {
        Table t = Table.create("s", StringColumn.create("text", "</script><script>alert(1)</script>", "ok"),
                DoubleColumn.create("count", 5.0, 3.0));
        Figure f = Plots.strings(t, 10);
        String html = f.htmlFragment();
        assertThat(html.toLowerCase()).containsOnlyOnce("</script>");
        Map<String, Object> fig = obj(Json.parse(f.json()));
        assertThat(arr(obj(arr(fig.get("data")).get(0)).get("y")).get(0)).isEqualTo("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    }
}
