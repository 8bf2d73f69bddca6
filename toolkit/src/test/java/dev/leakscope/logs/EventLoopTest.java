package dev.leakscope.logs;

import dev.leakscope.EventLoop;
import dev.leakscope.Logs;
import dev.leakscope.Metrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The event-loop verdict on the real leaking run (it blocks the loop for 150 ms every 7 s), cross-checked with jq. */
class EventLoopTest {

    @BeforeAll
    static void make() {
        RealRuns.makeAll();
    }

    @Test
    void blockedRunIsBlockedAndItsFiguresAreWhatJqReads() {
        Path d = RealRuns.run("leak", true);
        Table loop = Logs.open(d.resolve("app.log")).eventLoop();
        Table spans = Metrics.open(d.resolve("spans.json")).blockedSpans();
        EventLoop.Verdict v = EventLoop.verdict(loop, spans);
        assertThat(v.outcome()).as(v.toString()).isEqualTo(EventLoop.Verdict.Outcome.BLOCKED);
        // the spans: as many as jq counts, and the verdict says so
        int n = RealRuns.tool("jq", "-r", ".resourceSpans[].scopeSpans[].spans[] | select(.name==\"event-loop-blocked\") | .name",
                d.resolve("spans.json").toString()).size();
        assertThat(n).isPositive();
        assertThat(v.reason()).contains(n + " event-loop-blocked span");
        // the busy-loop's own Timeout spans are there, ≥ 150 ms each (--block-ms 150)
        Table timeouts = spans.where(spans.stringColumn("asyncType").isEqualTo("Timeout"));
        assertThat(timeouts.rowCount()).isPositive();
        assertThat(timeouts.doubleColumn("durationMs").max()).isGreaterThanOrEqualTo(149);
        // median ELU of the evidence = the median jq reads from the pino lines
        List<String> elu = RealRuns.tool("bash", "-c", "grep '\"msg\":\"eventloop\"' '" + d.resolve("app.log") + "' | jq -r .elu");
        double[] e = elu.stream().filter(s -> !s.equals("null")).mapToDouble(Double::parseDouble).sorted().toArray();
        double median = e.length % 2 == 1 ? e[e.length / 2] : (e[e.length / 2 - 1] + e[e.length / 2]) / 2;
        Table ev = v.evidence();
        Table row = ev.where(ev.stringColumn("measure").isEqualTo("median ELU"));
        assertThat(row.doubleColumn("value").get(0)).isCloseTo(median, within(1e-9));
        assertThat(Arrays.stream(e).max().getAsDouble()).isLessThanOrEqualTo(1.0);
    }

    @Test
    void noDataIsInconclusive() {
        EventLoop.Verdict v = EventLoop.verdict(null, null);
        assertThat(v.outcome()).isEqualTo(EventLoop.Verdict.Outcome.INCONCLUSIVE);
        assertThat(v.reason()).contains("no event-loop samples");
    }
}
