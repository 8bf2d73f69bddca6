package dev.leakscope.metrics;

import dev.leakscope.Metrics;
import dev.leakscope.Prometheus;
import dev.leakscope.cli.Main;
import dev.leakscope.logs.RealRuns;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real Prometheus (Debian's prometheus, started by hand on 127.0.0.1 with a 1 s scrape interval and a temp storage
 * dir) scraping the example app's prom-client /metrics; asked over its HTTP API, answers cross-checked with curl + jq.
 */
class PrometheusTest {

    @TempDir
    static Path tmp;

    private static Process app;
    private static Process prometheus;
    private static String url;
    private static int appPort;
    private static Instant started;

    @BeforeAll
    static void start() throws Exception {
        Path appLog = tmp.resolve("app.log");
        app = new ProcessBuilder("node", Artifacts.root().resolve("examples/apps/orders-service.js").toString(),
                "--mode", "leak", "--duration", "120", "--rate", "100", "--openmetrics")
                .redirectOutput(appLog.toFile()).redirectError(tmp.resolve("app.err").toFile()).start();
        appPort = waitForPort(appLog);
        Path cfg = tmp.resolve("prometheus.yml");
        Files.writeString(cfg, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
                + "  - job_name: orders\n    static_configs:\n      - targets: ['127.0.0.1:" + appPort + "']\n");
        startPrometheus(cfg);
        HttpClient http = HttpClient.newHttpClient();
        // ready, then at least 8 samples of the app
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int starts = 1;
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("prometheus not ready: " + Files.readString(tmp.resolve("prometheus.log")));
            }
            if (!prometheus.isAlive()) {
                // the free port we picked was taken before prometheus bound it (another process got it in between)
                String log = Files.readString(tmp.resolve("prometheus.log"));
                if (starts++ < 3 && log.contains("address already in use")) {
                    startPrometheus(cfg);
                    continue;
                }
                throw new IllegalStateException("prometheus exited " + prometheus.exitValue() + ": " + log);
            }
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/query?query="
                                + java.net.URLEncoder.encode("count_over_time(process_resident_memory_bytes[1m])", StandardCharsets.UTF_8)))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = Pattern.compile("\"value\":\\[[0-9.]+,\"([0-9]+)\"").matcher(body);
                if (m.find() && Integer.parseInt(m.group(1)) >= 8) {
                    break;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(500);
        }
    }

    /** Starts prometheus on a port free a moment ago (a race another process may win: see the caller's retry). */
    private static void startPrometheus(Path cfg) throws IOException {
        int promPort;
        try (ServerSocket s = new ServerSocket(0)) {
            promPort = s.getLocalPort();
        }
        url = "http://127.0.0.1:" + promPort;
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + cfg, "--storage.tsdb.path=" + tmp.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
        started = Instant.now();
    }

    private static int waitForPort(Path log) throws Exception {
        Pattern p = Pattern.compile("port=([0-9]+)");
        for (int i = 0; i < 300; i++) {
            if (Files.exists(log)) {
                Matcher m = p.matcher(Files.readString(log));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the app did not print its port");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Process p : new Process[]{prometheus, app}) {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    void rangeQueryMatchesTheRawAnswerReadByJq() throws Exception {
        Instant to = Instant.now();
        // a scrape stamped just before `to` may still be on its way in (up to the 1 s scrape timeout): asked now and
        // again a moment later, the last step could differ. Ask both once every sample up to `to` is stored.
        Thread.sleep(3000);
        Instant from = started.minusSeconds(5);
        Metrics m = Metrics.prometheus(url).range("process_resident_memory_bytes", from, to, Duration.ofSeconds(1));
        Table t = m.table();
        // the same question asked with curl, read by jq
        String q = url + "/api/v1/query_range?query=process_resident_memory_bytes&start=" + seconds(from) + "&end=" + seconds(to) + "&step=1";
        Path raw = tmp.resolve("range.json");
        List<String> curl = RealRuns.tool("curl", "-s", "-o", raw.toString(), "-w", "%{http_code}", q);
        assertThat(curl).containsExactly("200");
        List<String> jq = RealRuns.tool("jq", "-r", ".data.result[0].values[] | .[1]", raw.toString());
        assertThat(t.rowCount()).isEqualTo(jq.size()).isGreaterThanOrEqualTo(5);
        for (int i = 0; i < jq.size(); i++) {
            assertThat(t.doubleColumn("value").get(i)).isEqualTo(Double.parseDouble(jq.get(i)));
        }
        assertThat(t.stringColumn("metric").get(0)).isEqualTo("process_resident_memory_bytes");
        assertThat(t.stringColumn("labels").get(0)).contains("job=\"orders\"");
        // the saved answer reads the same from a file
        Table fromFile = Metrics.open(raw).table();
        assertThat(fromFile.doubleColumn("value").asList()).isEqualTo(t.doubleColumn("value").asList());
        // and it is the app's rss: within the range a scrape of /metrics shows right now
        assertThat(t.doubleColumn("value").min()).isGreaterThan(10e6).isLessThan(2e9);
    }

    @Test
    void memoryFromPrometheusFeedsTheVerdict() {
        Prometheus p = Metrics.prometheus(url);
        Instant to = Instant.now();
        Metrics heap = p.range("nodejs_heap_size_used_bytes", started.minusSeconds(5), to, Duration.ofSeconds(1));
        Table t = heap.memory();
        assertThat(t.rowCount()).isGreaterThanOrEqualTo(5);
        assertThat(t.doubleColumn("heapUsed").min()).isGreaterThan(1e6);
    }

    @Test
    void badPromqlGivesPrometheusOwnError() {
        assertThatThrownBy(() -> Metrics.prometheus(url).range("rate(process_cpu_seconds_total[1m]", Duration.ofMinutes(1), Duration.ofSeconds(1)))
                .isInstanceOf(PrometheusError.class).hasMessageContaining(url).hasMessageContaining("bad_data")
                .hasMessageContaining("parse error");
    }

    @Test
    void unreachablePrometheusNamesTheUrl() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String u = "http://127.0.0.1:" + closed;
        assertThatThrownBy(() -> Metrics.prometheus(u).query("up")).isInstanceOf(PrometheusError.class)
                .hasMessageContaining("cannot reach Prometheus at " + u).hasMessageContaining("Connect");
    }

    @Test
    void openMetricsFromPromClient() throws IOException {
        // the app serves OpenMetrics (--openmetrics); Prometheus scraped it above, here we read it ourselves
        Path om = tmp.resolve("app.om");
        List<String> code = RealRuns.tool("curl", "-s", "-o", om.toString(), "-w", "%{http_code}", "http://127.0.0.1:" + appPort + "/metrics");
        assertThat(code).containsExactly("200");
        assertThat(Files.readString(om)).contains("# EOF");
        Metrics m = Metrics.open(om);
        Table t = m.table();
        List<String> samples = RealRuns.tool("grep", "-cv", "^#", om.toString());
        assertThat(t.rowCount()).isEqualTo(Integer.parseInt(samples.get(0))).isGreaterThan(20);
        assertThat(t.intColumn("scrape").max()).isZero();
        List<String> rss = RealRuns.tool("awk", "/^process_resident_memory_bytes /{print $2}", om.toString());
        assertThat(m.memory().doubleColumn("rss").get(0)).isEqualTo(Double.parseDouble(rss.get(0)));
        Table gc = t.where(t.stringColumn("metric").isEqualTo("nodejs_gc_duration_seconds_bucket"));
        assertThat(gc.stringColumn("labels").asList()).anyMatch(l -> l.contains("le=\"+Inf\""));
    }

    @Test
    void reportCommandAsksPrometheus() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run("report", "--prometheus", url, "--since", "5m", "--step", "1s");
        } finally {
            System.setOut(old);
        }
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isIn(0, 3, 4);
        assertThat(report).contains("Memory samples from: metrics (prom-client)").contains("Leak verdict");
        int bad = Main.run("report", "--prometheus", url, "--query", "sum(");
        assertThat(bad).isEqualTo(1);
    }

    private static String seconds(Instant t) {
        return String.format(java.util.Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
    }
}
