package dev.leakscope.stats;

import dev.leakscope.Logs;
import dev.leakscope.Trend;
import dev.leakscope.logs.RealRuns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Theil–Sen and Mann–Kendall on real memory series, checked against a small independent node script. */
class TrendTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void make() {
        RealRuns.makeAll();
    }

    private static final String SCRIPT = String.join("\n",
            "const fs = require('fs'); const d = JSON.parse(fs.readFileSync(process.argv[2]));",
            "const x = d.x, y = d.y, n = x.length; const slopes = []; let s = 0;",
            "for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {",
            "  if (x[j] !== x[i]) slopes.push((y[j] - y[i]) / (x[j] - x[i])); s += Math.sign(y[j] - y[i]); }",
            "slopes.sort((a, b) => a - b); const m = slopes.length;",
            "const slope = m % 2 ? slopes[(m - 1) / 2] : (slopes[m / 2 - 1] + slopes[m / 2]) / 2;",
            "const counts = {}; for (const v of y) counts[v] = (counts[v] || 0) + 1; let ties = 0;",
            "for (const k in counts) { const t = counts[k]; ties += t * (t - 1) * (2 * t + 5); }",
            "const v = (n * (n - 1) * (2 * n + 5) - ties) / 18; const z = s > 0 ? (s - 1) / Math.sqrt(v) : s < 0 ? (s + 1) / Math.sqrt(v) : 0;",
            // Abramowitz & Stegun 7.1.26 for erf
            "function erf(u) { const t = 1 / (1 + 0.3275911 * u); return 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t",
            "  - 0.284496736) * t + 0.254829592) * t * Math.exp(-u * u); }",
            "const p = s === 0 ? 1 : 1 - erf(Math.abs(z) / Math.SQRT2);",
            "console.log(JSON.stringify({ slope, s, p }));");

    private String node(double[] x, double[] y) throws IOException {
        Path js = tmp.resolve("trend.js");
        Files.writeString(js, SCRIPT);
        Path data = tmp.resolve("data.json");
        Files.writeString(data, "{\"x\":" + Arrays.toString(x) + ",\"y\":" + Arrays.toString(y) + "}");
        return RealRuns.tool("node", js.toString(), data.toString()).get(0);
    }

    private static double field(String json, String name) {
        String v = json.replaceAll(".*\"" + name + "\":([-0-9.eE]+).*", "$1");
        return Double.parseDouble(v);
    }

    @Test
    void realHeapUsedSeriesAgreeWithNode() throws IOException {
        for (String mode : List.of("leak", "healthy")) {
            Table m = Logs.open(RealRuns.run(mode, true).resolve("app.log")).memory();
            double[] x = m.doubleColumn("elapsedS").divide(60).asDoubleArray();
            double[] y = Arrays.stream(m.longColumn("heapUsed").asDoubleArray()).map(v -> v / 1048576.0).toArray();
            Trend t = Trend.of(x, y);
            String js = node(x, y);
            assertThat(t.n()).isEqualTo(x.length).isGreaterThan(40);
            assertThat(t.slope()).as(mode + " " + js).isCloseTo(field(js, "slope"), within(1e-9));
            assertThat((double) t.s()).as(mode).isEqualTo(field(js, "s"));
            assertThat(t.p()).as(mode).isCloseTo(field(js, "p"), within(1e-5));
        }
    }

    @Test
    void exactSmallSampleP() {
        // five rising points: S = 10, the most extreme of 5! = 120 orders, two-sided p = 2/120
        assertThat(Trend.of(new double[]{1, 2, 3, 4, 5}).p()).isCloseTo(2.0 / 120, within(1e-12));
        assertThat(Trend.of(new double[]{1, 2, 3, 4, 5}).pRising()).isCloseTo(1.0 / 120, within(1e-12));
        // one swap: S = 8, P(|S| >= 8) = 2 * (1 + 4) / 120
        assertThat(Trend.of(new double[]{2, 1, 3, 4, 5}).p()).isCloseTo(10.0 / 120, within(1e-12));
        assertThat(Trend.of(new double[]{5, 4, 3, 2, 1}).rising(0.05)).isFalse();
        assertThat(Trend.of(new double[]{0, 1, 2, 3}, new double[]{1, 3, 5, 7}).slope()).isEqualTo(2.0);
    }

    @Test
    void oneOutlierDoesNotMoveTheSlope() {
        double[] y = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
        double[] spiky = y.clone();
        spiky[4] = 500; // one GC spike
        assertThat(Trend.of(spiky).slope()).isCloseTo(1.0, within(0.15));
        assertThat(Arrays.stream(spiky).boxed().collect(Collectors.toList())).hasSize(10);
    }
}
