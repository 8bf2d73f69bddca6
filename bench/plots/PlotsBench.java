import dev.leakscope.Figure;
import dev.leakscope.HtmlReport;
import dev.leakscope.Logs;
import dev.leakscope.Metrics;
import dev.leakscope.Plots;
import dev.leakscope.Redact;
import dev.leakscope.Report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** bench/plots-bench.sh runs this: Redact over the strings of a core, figure rendering, the HTML report. */
public class PlotsBench {
    public static void main(String[] a) throws Exception {
        Path strings = Path.of(a[0]), run = Path.of(a[1]), out = Path.of(a[2]);
        List<String> lines = Files.readAllLines(strings, StandardCharsets.ISO_8859_1);
        long bytes = 0;
        for (String s : lines) {
            bytes += s.length() + 1;
        }
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            int changed = 0;
            for (String s : lines) {
                if (!Redact.text(s).equals(s)) {
                    changed++;
                }
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            System.out.printf("redact     run %d: %,d strings (%.1f MB), %,d changed, %.2f s, %.1f MB/s%n", r + 1, lines.size(),
                    bytes / 1e6, changed, sec, bytes / 1e6 / sec);
        }
        Logs logs = Logs.open(run.resolve("app.log"), run.resolve("app.err"));
        var spans = Metrics.open(run.resolve("spans.json"));
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            Figure f = Plots.memory(logs.memory(), logs.gc());
            byte[] png = f.png();
            long t1 = System.nanoTime();
            String json = f.json();
            long t2 = System.nanoTime();
            Report rep = Report.builder().logs(logs).metrics(spans).build();
            Path page = HtmlReport.of(rep).save(out);
            long t3 = System.nanoTime();
            System.out.printf("figures    run %d: memory figure PNG %.0f ms (%,d bytes), plotly JSON %.1f ms (%,d chars); "
                            + "HTML report %.0f ms (%,d bytes)%n", r + 1, (t1 - t0) / 1e6, png.length, (t2 - t1) / 1e6, json.length(),
                    (t3 - t2) / 1e6, Files.size(page));
        }
    }
}
