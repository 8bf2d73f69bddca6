package dev.leakscope.plot;

import dev.leakscope.Core;
import dev.leakscope.Figure;
import dev.leakscope.Heap;
import dev.leakscope.Plots;
import dev.leakscope.core.TestCores;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.leakscope.plot.Json.arr;
import static dev.leakscope.plot.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Bar figures of a real core's strings and real heap snapshots of the example app. */
class CoreAndHeapPlotsTest {

    @Test
    void topStringsAreThoseOfGnuStringsSortUniq() {
        Path core = TestCores.kernel();
        Figure f = Plots.strings(Core.open(core).strings().minLength(8).countBy(), 20);
        Map<String, Object> bar = obj(arr(obj(Json.parse(f.json())).get("data")).get(0));
        // the independent pipeline: strings -a -n 8 | sort | uniq -c | sort -rn | head -20
        String out = TestCores.run("bash", "-c", "strings -a -n 8 '" + core + "' | LC_ALL=C sort | uniq -c | sort -rn | head -20");
        List<Double> gnuCounts = new ArrayList<>();
        List<String> gnuTexts = new ArrayList<>();
        for (String line : out.split("\n")) {
            String t = line.stripLeading();
            int sp = t.indexOf(' ');
            gnuCounts.add(Double.parseDouble(t.substring(0, sp)));
            gnuTexts.add(t.substring(sp + 1));
        }
        List<Object> counts = arr(bar.get("x")), labels = arr(bar.get("hovertext"));
        assertThat(counts).containsExactlyElementsOf(gnuCounts.stream().map(d -> (Object) d).toList());
        // texts agree wherever the count is not tied with the 21st (ties may be cut differently)
        for (int i = 0; i < gnuTexts.size(); i++) {
            if (gnuCounts.get(i) > gnuCounts.get(gnuCounts.size() - 1)) {
                assertThat(labels).contains(PlotlyJson.text(PlotlyJson.label(gnuTexts.get(i), PlotlyJson.MAX_HOVER)));
            }
        }
        assertThat(f.title()).startsWith("Most frequent strings — top 20 of ");
    }

    static Path snapshots() {
        return Artifacts.get("heap-leak", "snapshots", "OUT", "--mode", "leak", "--at", "3,6,9");
    }

    @Test
    void heapSummaryBarsAreTheLargestRetainedSizes() throws Exception {
        Table summary = Heap.open(snapshots().resolve("s9.heapsnapshot")).summary();
        Figure f = Plots.heapSummary(summary, 12);
        Map<String, Object> retained = obj(arr(obj(Json.parse(f.json())).get("data")).get(0));
        Table top = summary.sortDescendingOn("retainedSize").first(12);
        List<Object> x = arr(retained.get("x"));
        double unit = f.chart().x().title().equals("MiB") ? 1048576 : f.chart().x().title().equals("KiB") ? 1024 : 1;
        for (int i = 0; i < 12; i++) {
            assertThat(arr(retained.get("hovertext")).get(i)).isEqualTo(PlotlyJson.text(PlotlyJson.label(top.stringColumn("constructor").get(i), PlotlyJson.MAX_HOVER)));
            assertThat((Double) x.get(i)).isCloseTo(top.numberColumn("retainedSize").getDouble(i) / unit, within(1e-9));
        }
        assertThat(ImageIO.read(new ByteArrayInputStream(f.png())).getHeight()).isEqualTo(f.chart().height());
    }

    @Test
    void heapCompareShowsTheLeakingClassGrowing() {
        Table cmp = Heap.compare(Heap.open(snapshots().resolve("s3.heapsnapshot")), Heap.open(snapshots().resolve("s9.heapsnapshot")));
        Figure f = Plots.heapCompare(cmp, 40);
        Map<String, Object> bar = obj(arr(obj(Json.parse(f.json())).get("data")).get(0));
        List<Object> names = arr(bar.get("hovertext")), x = arr(bar.get("x")); // "(string)" etc. have no & < >
        // bars are the 40 largest |sizeDelta|, largest first
        List<Double> abs = new ArrayList<>();
        for (int r = 0; r < cmp.rowCount(); r++) {
            abs.add(Math.abs(cmp.numberColumn("sizeDelta").getDouble(r)));
        }
        abs.sort(java.util.Comparator.reverseOrder());
        double unit = f.chart().x().title().endsWith("(MiB)") ? 1048576 : f.chart().x().title().endsWith("(KiB)") ? 1024 : 1;
        for (int i = 0; i < 40; i++) {
            assertThat(Math.abs((Double) x.get(i))).isCloseTo(abs.get(i) / unit, within(1e-9));
        }
        // the example app leaks RequestContext objects: they grew between 3 s and 9 s
        assertThat(names).contains("RequestContext");
        assertThat((Double) x.get(names.indexOf("RequestContext"))).isPositive();
        assertThat(f.chart().x().title()).startsWith("sizeDelta");
    }
}
