package dev.leakscope.logs;

import dev.leakscope.Leak;
import dev.leakscope.LeakVerdict;
import dev.leakscope.Logs;
import dev.leakscope.Trend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The verdict on real 60 s runs of the example app, leaking and healthy, with and without --trace-gc. */
class LeakVerdictTest {

    @BeforeAll
    static void make() {
        RealRuns.makeAll();
    }

    private static Logs logs(String mode, boolean gc) {
        Path d = RealRuns.run(mode, gc);
        return Logs.open(d.resolve("app.log"), d.resolve("app.err"));
    }

    @Test
    void leakWithTraceGcIsLeakWithTheFullGcsAsEvidence() {
        LeakVerdict v = Leak.verdict(logs("leak", true));
        assertThat(v.outcome()).as(v.toString()).isEqualTo(LeakVerdict.Outcome.LEAK);
        // ≥ 4 full GCs decide alone; fewer (a loaded machine) must agree with the heapUsed floor
        assertThat(v.decidingSeries()).isIn("heap after full GC", "heapUsed floor");
        assertThat(v.slopeMB()).isGreaterThan(5); // MB/min: the app leaks tens of MB a minute
        assertThat(v.trend().pRising()).isLessThan(0.05);
        assertThat(v.reason()).contains("full GC").contains("MB/min").contains("p=");
    }

    @Test
    void leakWithoutTraceGcIsLeakJudgedOnTheHeapUsedFloor() {
        LeakVerdict v = Leak.verdict(logs("leak", false));
        assertThat(v.outcome()).as(v.toString()).isEqualTo(LeakVerdict.Outcome.LEAK);
        assertThat(v.decidingSeries()).isEqualTo("heapUsed floor");
    }

    @Test
    void aMemoryTableWithTimesButNoElapsedSecondsIsJudgedPerMinute() {
        Logs l = logs("leak", false);
        tech.tablesaw.api.Table mem = l.memory();
        tech.tablesaw.api.Table timed = mem.where(mem.instantColumn("time").isNotMissing());
        LeakVerdict byElapsed = Leak.verdict(timed, null);
        LeakVerdict byTime = Leak.verdict(timed.copy().removeColumns("elapsedS"), null);
        assertThat(byTime.slopeUnit()).isEqualTo("min");
        assertThat(byTime.outcome()).isEqualTo(byElapsed.outcome()).isEqualTo(LeakVerdict.Outcome.LEAK);
        // elapsedS counts from the process start, time from the first sample: the same minutes, shifted
        assertThat(byTime.slopeMB()).isCloseTo(byElapsed.slopeMB(), org.assertj.core.data.Percentage.withPercentage(5));
        LeakVerdict perSample = Leak.verdict(timed.copy().removeColumns("elapsedS", "time"), null);
        assertThat(perSample.slopeUnit()).isEqualTo("sample");
    }

    @Test
    void healthyWithTraceGcIsNoLeak() {
        LeakVerdict v = Leak.verdict(logs("healthy", true));
        assertThat(v.outcome()).as(v.toString()).isEqualTo(LeakVerdict.Outcome.NO_LEAK);
    }

    @Test
    void healthyWithoutTraceGcIsNoLeak() {
        LeakVerdict v = Leak.verdict(logs("healthy", false));
        assertThat(v.outcome()).as(v.toString()).isEqualTo(LeakVerdict.Outcome.NO_LEAK);
    }

    /**
     * FORMATS.md §5: a healthy service's rss grew 37 MB/min, significantly. The real healthy run with that growth put
     * on its rss (its heap columns untouched) must still be NO LEAK, and the raw rss row must say "context only": a
     * verdict that followed raw rss slopes would fail here.
     */
    @Test
    void rawRssTrendNeverDecides() {
        Logs logs = logs("healthy", true);
        Table m = logs.memory();
        double[] x = m.doubleColumn("elapsedS").asDoubleArray();
        tech.tablesaw.api.LongColumn rss = m.longColumn("rss");
        for (int i = 0; i < m.rowCount(); i++) {
            rss.set(i, rss.get(i) + Math.round(37.0 * 1048576 * x[i] / 60));
        }
        Trend raw = Trend.of(x, rss.asDoubleArray());
        assertThat(raw.rising(0.05)).as("raw rss trend %s", raw).isTrue();
        assertThat(raw.slope() * 60 / 1048576).isGreaterThan(20); // MB/min: a naive reading says "leak"
        LeakVerdict v = Leak.verdict(m, logs.gc());
        assertThat(v.outcome()).as(v.toString()).isEqualTo(LeakVerdict.Outcome.NO_LEAK);
        Table ev = v.evidence();
        Table rssRow = ev.where(ev.stringColumn("series").isEqualTo("rss (raw)"));
        assertThat(rssRow.stringColumn("finding").get(0)).isEqualTo("rises (context only)");
        assertThat(v.decidingSeries()).isNotEqualTo("rss (raw)");
    }

    /** The same on the run as it was: whatever its own rss did, the verdict is NO LEAK and raw rss is context. */
    @Test
    void healthyRunsOwnRssIsContextOnly() {
        LeakVerdict v = Leak.verdict(logs("healthy", false));
        Table ev = v.evidence();
        assertThat(ev.where(ev.stringColumn("series").isEqualTo("rss (raw)")).stringColumn("role").get(0))
                .startsWith("context");
        assertThat(v.outcome()).isEqualTo(LeakVerdict.Outcome.NO_LEAK);
    }

    /** Cross-check: the full GCs and their heap-after sizes equal what grep/awk read from the same file. */
    @Test
    void fullGcSeriesMatchesGrepAndAwk() {
        Path log = RealRuns.run("leak", true).resolve("app.log");
        Table gc = Logs.open(log).gc();
        Table full = gc.where(gc.booleanColumn("full").isTrue());
        List<String> awk = RealRuns.tool("awk", "/: Mark-Compact /{for(i=1;i<=NF;i++) if($i==\"->\"){print $(i+1)}}", log.toString());
        assertThat(full.rowCount()).isEqualTo(awk.size()).isGreaterThanOrEqualTo(2);
        for (int i = 0; i < awk.size(); i++) {
            assertThat(full.longColumn("heapAfter").get(i) / 1048576.0).isCloseTo(Double.parseDouble(awk.get(i)),
                    org.assertj.core.data.Offset.offset(0.06));
        }
        List<String> scavenges = RealRuns.tool("grep", "-c", ": Scavenge ", log.toString());
        assertThat(gc.where(gc.stringColumn("type").isEqualTo("Scavenge")).rowCount()).isEqualTo(Integer.parseInt(scavenges.get(0)));
    }

    @Test
    void heapLimitGivesTimeToOom() {
        LeakVerdict v = Leak.criteria().heapLimitMB(4096).judge(logs("leak", true));
        assertThat(v.minutesToHeapLimit()).isPositive();
        assertThat(v.reason()).contains("4096 MB heap limit");
    }
}
