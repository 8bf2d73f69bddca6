package dev.leakscope.plot;

import dev.leakscope.Figure;
import dev.leakscope.Plots;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A saved figure opens in real headless chromium, offline, and plotly draws it from the inlined plotly.js. */
class FigureInChromiumTest {

    @Test
    void savedFigureDrawsOffline() throws Exception {
        assumeTrue(Chromium.available() || System.getenv("CI") != null, "chromium not installed");
        RealLogs leak = RealLogs.leak();
        Figure f = Plots.memory(leak.memory(), leak.gc());
        Path out = Artifacts.dir().resolve("plots-figure-test");
        Files.createDirectories(out);
        Path html = f.save(out.resolve("memory.html"));
        String dom = Chromium.dumpDom(html);
        // facts about the DOM, not the DOM itself: a failure must not print 5 MB of plotly.js
        assertThat(count(dom, "data-plotted=\"true\"")).as("figures plotly drew").isEqualTo(1);
        assertThat(count(dom, "data-plot-error=\"")).isZero();
        assertThat(count(dom, "class=\"main-svg\"")).isGreaterThanOrEqualTo(1);
        // one plotly scatter trace per series, and the legend shows the series names
        assertThat(count(dom, "class=\"trace scatter")).isEqualTo(f.chart().series().size());
        assertThat(legend(dom)).containsExactlyElementsOf(f.chart().series().stream().map(s -> s.name()).toList());
        // the static fallback was hidden once the plot drew
        assertThat(count(dom, "class=\"lsf-static\"")).isEqualTo(1);
        assertThat(Pattern.compile("class=\"lsf-static\"[^>]*style=\"display: none;\"").matcher(dom).find()).isTrue();
        Chromium.screenshot(html, out.resolve("memory.png"), 1000, 600);
    }

    @Test
    void textWithAngleBracketsAndAmpersandsShowsAsWritten() throws Exception {
        assumeTrue(Chromium.available() || System.getenv("CI") != null, "chromium not installed");
        tech.tablesaw.api.Table t = tech.tablesaw.api.Table.create("s",
                tech.tablesaw.api.StringColumn.create("text", "at <anonymous>:1:5", "a & b", "x<y"),
                tech.tablesaw.api.IntColumn.create("count", 9, 5, 2));
        Path out = Artifacts.dir().resolve("plots-figure-test");
        Files.createDirectories(out);
        Path html = Plots.strings(t, 3).title("<b>bold?</b> & more").save(out.resolve("brackets.html"));
        String dom = Chromium.dumpDom(html);
        assertThat(count(dom, "data-plotted=\"true\"")).isEqualTo(1);
        // the dumped DOM escapes text nodes: the characters arrived as text, not as (dropped) tags
        for (String shown : new String[] {"at &lt;anonymous&gt;:1:5", "a &amp; b", "x&lt;y", "&lt;b&gt;bold?&lt;/b&gt; &amp; more"}) {
            assertThat(dom.contains(">" + shown + "<")).as("DOM text %s", shown).isTrue();
        }
    }

    static java.util.List<String> legend(String dom) {
        Matcher m = Pattern.compile("class=\"legendtext\"[^>]*data-unformatted=\"([^\"]*)\"").matcher(dom);
        java.util.List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
