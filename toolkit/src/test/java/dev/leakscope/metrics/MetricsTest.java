package dev.leakscope.metrics;

import dev.leakscope.Leak;
import dev.leakscope.LeakVerdict;
import dev.leakscope.LogFormatException;
import dev.leakscope.Metrics;
import dev.leakscope.logs.RealRuns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** prom-client scrapes, OTLP spans and Grafana CSV from the real 60 s runs, cross-checked with grep, awk and jq. */
class MetricsTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void make() {
        RealRuns.makeAll();
    }

    @Test
    void severalScrapesBecomeATimeSeries() {
        Path scrapes = RealRuns.run("leak", true).resolve("scrapes.prom");
        Metrics m = Metrics.open(scrapes);
        List<String> stamps = RealRuns.tool("grep", "-E", "^# [0-9]{4}-", scrapes.toString());
        List<String> rss = RealRuns.tool("awk", "/^process_resident_memory_bytes /{print $2}", scrapes.toString());
        assertThat(stamps).hasSizeGreaterThan(5);
        Table mem = m.memory();
        assertThat(mem.rowCount()).isEqualTo(stamps.size()).isEqualTo(rss.size());
        for (int i = 0; i < rss.size(); i++) {
            assertThat(mem.doubleColumn("rss").get(i)).isEqualTo(Double.parseDouble(rss.get(i)));
            assertThat(mem.instantColumn("time").get(i)).isEqualTo(Instant.parse(stamps.get(i).substring(2)));
        }
        // every series of a scrape shares the scrape's number; labels are kept
        Table t = m.metric("nodejs_heap_space_size_used_bytes");
        assertThat(t.stringColumn("labels").unique().asList()).anyMatch(l -> l.contains("space=\"old\""));
        assertThat(m.table().intColumn("scrape").max()).isEqualTo(stamps.size() - 1);
    }

    @Test
    void eventLoopGaugesInMilliseconds() {
        Path scrapes = RealRuns.run("healthy", true).resolve("scrapes.prom");
        Table loop = Metrics.open(scrapes).eventLoop();
        List<String> p50 = RealRuns.tool("awk", "/^nodejs_eventloop_lag_p50_seconds /{print $2}", scrapes.toString());
        assertThat(loop.rowCount()).isEqualTo(p50.size());
        assertThat(loop.doubleColumn("delayP50Ms").get(0)).isCloseTo(Double.parseDouble(p50.get(0)) * 1000, within(1e-6));
        assertThat(loop.doubleColumn("elu").min()).isBetween(0.0, 1.0);
    }

    @Test
    void blockedSpansMatchJq() {
        Path spans = RealRuns.run("leak", true).resolve("spans.json");
        Table t = Metrics.open(spans).blockedSpans();
        List<String> jq = RealRuns.tool("jq", "-r", ".resourceSpans[].scopeSpans[].spans[] | select(.name==\"event-loop-blocked\")"
                + " | ((.endTimeUnixNano|tonumber) - (.startTimeUnixNano|tonumber)) / 1000000", spans.toString());
        assertThat(t.rowCount()).isEqualTo(jq.size()).isGreaterThan(0);
        for (int i = 0; i < jq.size(); i++) {
            assertThat(t.doubleColumn("durationMs").get(i)).isCloseTo(Double.parseDouble(jq.get(i)), within(0.001));
        }
        assertThat(t.doubleColumn("durationMs").min()).isGreaterThanOrEqualTo(100); // the monitor's threshold
        assertThat(t.stringColumn("asyncType").asList()).contains("Timeout");
    }

    @Test
    void grafanaCsvJoinedByTime() throws IOException {
        // a "Series joined by time" export, written by awk from the real scrapes
        Path scrapes = RealRuns.run("healthy", false).resolve("scrapes.prom");
        Path csv = tmp.resolve("grafana.csv");
        List<String> rows = RealRuns.tool("awk", "BEGIN{print \"\\\"Time\\\",\\\"process_resident_memory_bytes{instance=\\\"\\\"app\\\"\\\"}\\\","
                + "\\\"nodejs_heap_size_used_bytes\\\"\"} /^# [0-9]/{t=$2} /^process_resident_memory_bytes /{r=$2} "
                + "/^nodejs_heap_size_used_bytes /{sub(/T/,\" \",t); sub(/\\.[0-9]+Z/,\"\",t); print t\",\"r\",\"$2}", scrapes.toString());
        Files.write(csv, rows);
        Metrics m = Metrics.open(csv);
        Table mem = m.memory();
        List<String> rss = RealRuns.tool("awk", "/^process_resident_memory_bytes /{print $2}", scrapes.toString());
        assertThat(mem.rowCount()).isEqualTo(rss.size());
        assertThat(mem.doubleColumn("rss").get(0)).isEqualTo(Double.parseDouble(rss.get(0)));
        assertThat(m.metric("process_resident_memory_bytes").stringColumn("labels").get(0)).isEqualTo("instance=\"app\"");
    }

    @Test
    void verdictOnScrapes() {
        LeakVerdict leak = Leak.verdict(Metrics.open(RealRuns.run("leak", true).resolve("scrapes.prom")));
        assertThat(leak.outcome()).as(leak.toString()).isEqualTo(LeakVerdict.Outcome.LEAK);
        LeakVerdict healthy = Leak.verdict(Metrics.open(RealRuns.run("healthy", true).resolve("scrapes.prom")));
        assertThat(healthy.outcome()).as(healthy.toString()).isNotEqualTo(LeakVerdict.Outcome.LEAK);
    }

    @Test
    void aReportOfSeveralMetricsKeepsEverySample() {
        Metrics leak = Metrics.open(RealRuns.run("leak", true).resolve("scrapes.prom"));
        Metrics healthy = Metrics.open(RealRuns.run("healthy", true).resolve("scrapes.prom"));
        int leakRows = leak.table().rowCount();
        dev.leakscope.Report r = dev.leakscope.Report.builder().metrics(leak).metrics(healthy).build();
        Table all = r.data().get("metrics");
        assertThat(all.rowCount()).isEqualTo(leak.table().rowCount() + healthy.table().rowCount());
        assertThat(all.stringColumn("source").unique().size()).isEqualTo(2);
        assertThat(leak.table().rowCount()).as("the inputs are not changed").isEqualTo(leakRows);
    }

    @Test
    void unknownMetricsFormatNamesTheFile() throws IOException {
        Path f = tmp.resolve("x.json");
        Files.writeString(f, "{\"hello\": 1}");
        assertThatThrownBy(() -> Metrics.open(f)).isInstanceOf(LogFormatException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("neither a Prometheus API answer");
        Path g = tmp.resolve("y.txt");
        Files.writeString(g, "hello world\nsecond line\n");
        assertThatThrownBy(() -> Metrics.open(g)).isInstanceOf(LogFormatException.class).hasMessageContaining(g.toString())
                .hasMessageContaining("hello world");
    }

    @Test
    void prometheusErrorAnswerInAFileKeepsPrometheusText() throws IOException {
        Path f = tmp.resolve("err.json");
        Files.writeString(f, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:6: parse error: unclosed left parenthesis\"}");
        assertThatThrownBy(() -> Metrics.open(f)).isInstanceOf(PrometheusError.class).hasMessageContaining("bad_data")
                .hasMessageContaining("unclosed left parenthesis").hasMessageContaining(f.toString());
    }
}
