package dev.leakscope.plot;

import dev.leakscope.HtmlReport;
import dev.leakscope.Plots;
import dev.leakscope.core.TestCores;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole post-mortem in one HTML file, from real artifacts (a trace-gc log and a kernel core of the leaking
 * app): chromium draws every plot offline, and none of the app's secrets is in the file unless asked for.
 */
class HtmlReportTest {

    static HtmlReport report;
    static String password, apiKey;
    static List<String> emails, jwtClaims;
    static Table many; // 1,000 distinct strings of the core, secrets among them

    @BeforeAll
    static void build() throws Exception {
        String app = Files.readString(Artifacts.root().resolve("examples/apps/orders-service.js"));
        Matcher db = Pattern.compile("DATABASE_URL = 'postgres://\\w+:([^@']+)@").matcher(app);
        Matcher key = Pattern.compile("PAYMENTS_API_KEY = '(sk_live_\\w+)'").matcher(app);
        assertThat(db.find() && key.find()).isTrue();
        password = db.group(1);
        apiKey = key.group(1);

        // what a user greps a core for: the config and the request headers — GNU strings -a, counted
        Map<String, Integer> counts = new LinkedHashMap<>();
        java.util.Set<String> distinct = new java.util.LinkedHashSet<>();
        for (String s : TestCores.run("strings", "-a", TestCores.kernel().toString()).split("\n")) {
            if (distinct.size() < 1000 && (distinct.size() < 990 || s.contains("postgres://"))) {
                distinct.add(s);
            }
            if (s.contains("postgres://") || s.contains("sk_live_") || s.contains("@shop.example") || s.startsWith("eyJ")) {
                counts.merge(s, 1, Integer::sum);
            }
        }
        Table secrets = Table.create("strings", StringColumn.create("text", counts.keySet()),
                IntColumn.create("count", counts.values().stream().mapToInt(Integer::intValue).toArray()));
        secrets = secrets.sortDescendingOn("count");
        many = Table.create("many", StringColumn.create("text", distinct));
        emails = counts.keySet().stream().flatMap(s -> Pattern.compile("customer\\d@shop\\.example").matcher(s).results())
                .map(m -> m.group()).distinct().toList();
        jwtClaims = counts.keySet().stream().flatMap(s -> Pattern.compile("eyJ[\\w-]{5,}\\.(eyJ[\\w-]{5,})").matcher(s).results())
                .map(m -> m.group(1)).distinct().toList();
        assertThat(emails).isNotEmpty();
        assertThat(jwtClaims).isNotEmpty();

        RealLogs leak = RealLogs.leak();
        report = HtmlReport.titled("orders-service post-mortem")
                .section("Memory").verdict("LEAK: the post-GC floor rises")
                .figure(Plots.memory(leak.memory(), leak.gc()))
                .section("Garbage collection").figure(Plots.gcPauses(leak.gc()))
                .section("Event loop").figure(Plots.eventLoop(leak.eventLoop(), leak.blocked()))
                .section("Core strings").text("Config and headers found in the core, e.g. " + counts.keySet().iterator().next())
                .figure(Plots.strings(secrets, 15)).table("Strings matching postgres://, sk_live_, @shop.example, eyJ", secrets)
                .facts(Map.of("Database", "postgres://orders:" + password + "@db.internal.example:5432/orders"));
    }

    @Test
    void chromiumDrawsEveryPlotOffline() throws Exception {
        Path dir = Artifacts.dir().resolve("plots-report-test");
        Files.createDirectories(dir);
        Path html = report.save(dir.resolve("report.html"));
        String dom = Chromium.dumpDom(html);
        assertThat(FigureInChromiumTest.count(dom, "data-plotted=\"true\"")).as("plots drawn").isEqualTo(4);
        assertThat(FigureInChromiumTest.count(dom, "data-plot-error=\"")).isZero();
        assertThat(FigureInChromiumTest.count(dom, "class=\"main-svg\"")).isGreaterThanOrEqualTo(4);
        assertThat(FigureInChromiumTest.count(dom, "class=\"trace bars\"")).as("the strings bar chart").isEqualTo(1);
        Chromium.screenshot(html, dir.resolve("report.png"), 1200, 2400);
    }

    @Test
    void oneFileNoNetworkPlotlyOnce() {
        String html = report.html();
        assertThat(FigureInChromiumTest.count(html, "window.Plotly = Plotly")).isEqualTo(1);
        assertThat(Pattern.compile("<(script|img|link|iframe)[^>]+(src|href)=\"(https?:)?//", Pattern.CASE_INSENSITIVE).matcher(html).find())
                .as("no external resource").isFalse();
        assertThat(FigureInChromiumTest.count(html, "class=\"lsf-static\"")).as("a PNG under every plot").isEqualTo(4);
    }

    @Test
    void noKnownSecretIsInTheRedactedReport() {
        String html = report.html();
        assertThat(html.contains(password)).as("database password").isFalse();
        assertThat(html.contains(apiKey)).as("API key").isFalse();
        for (String e : emails) {
            assertThat(html.contains(e)).as("e-mail %s", e).isFalse();
        }
        for (String claims : jwtClaims) {
            assertThat(html.contains(claims)).as("JWT claims %s", claims).isFalse();
        }
        assertThat(html).contains("postgres://orders:****@db.internal.example", "sk_live_****");
    }

    @Test
    void aReportInTheNotebookShowsItsFigures() {
        RealLogs leak = RealLogs.leak();
        dev.leakscope.Report r = dev.leakscope.Report.builder().logs(leak.logs()).metrics(dev.leakscope.Metrics.open(leak.spans)).build();
        PlotlyJs.resetSessionEmbed();
        String first = r.mimeBundle().get("text/html"), second = r.mimeBundle().get("text/html");
        assertThat(FigureInChromiumTest.count(first, "class=\"leakscope-figure\"")).as("memory, GC, event loop").isEqualTo(3);
        assertThat(FigureInChromiumTest.count(first, "window.Plotly = Plotly")).isEqualTo(1);
        assertThat(FigureInChromiumTest.count(second, "window.Plotly = Plotly")).as("once per session").isZero();
        assertThat(first).contains("Leak verdict").doesNotContain("<html").doesNotContainPattern("(?m)^h1\\{");
        assertThat(r.mimeBundle().get("text/plain")).isEqualTo(r.text());
    }

    @Test
    void bigTablesShowTheirFirstRowsAndSayHowManyMore() {
        String html = HtmlReport.titled("t").section("s").table("strings", many).html();
        assertThat(FigureInChromiumTest.count(html, "<tr><td>")).isEqualTo(HtmlReport.MAX_ROWS);
        assertThat(html).contains("… " + (many.rowCount() - HtmlReport.MAX_ROWS) + " more rows (" + many.rowCount() + " in all) not shown.");
        assertThat(html.contains(password)).isFalse();
    }

    @Test
    void redactionCanBeTurnedOff() {
        String html = report.redact(false).html();
        assertThat(html.contains(password)).as("unredacted report keeps the password").isTrue();
        assertThat(html.contains(apiKey)).isTrue();
        assertThat(html).contains("Not redacted");
    }
}
