package dev.leakscope.logs;

import dev.leakscope.LogFormatException;
import dev.leakscope.Logs;
import dev.leakscope.Metrics;
import dev.leakscope.Report;
import dev.leakscope.core.TestCores;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What an incident hands over by mistake or damaged — a heap snapshot or a core where a log or metrics were
 * expected, a .gz cut short, a file that only starts like gzip — on real artifacts: a clear error naming the file,
 * or what can be read plus a warning, never a silent wrong answer. Counts are checked against zcat and grep.
 */
class DamagedInputTest {

    @TempDir
    Path tmp;

    /** A short real run: app.log (memoryUsage blocks, --trace-gc lines, event-loop lines), spans.json, scrapes.prom. */
    static Path run() {
        return Artifacts.get("qa-run-6s", "run", "OUT", "--seconds", "6", "--trace-gc", "--scrape-every", "2");
    }

    static Path snapshot() {
        return Artifacts.get("heap-leak", "snapshots", "OUT", "--mode", "leak", "--at", "3,6,9").resolve("s3.heapsnapshot");
    }

    @Test
    void aHeapSnapshotIsNotReadAsALogFullOfErrors() {
        // its strings table holds "ERR_…" and "EMFILE" texts that a log reader would count as error lines
        Path s = snapshot();
        assertThatThrownBy(() -> Logs.open(s)).isInstanceOf(LogFormatException.class)
                .hasMessageContaining(s.toString()).hasMessageContaining("V8 heap snapshot").hasMessageContaining("leakscope heap");
        assertThatThrownBy(() -> Logs.open(run().resolve("app.log"), s)).isInstanceOf(LogFormatException.class)
                .hasMessageContaining("V8 heap snapshot");
    }

    @Test
    void aGzipLogCutShortGivesWhatWasWrittenBeforeTheCutAndAWarning() throws IOException {
        Path gz = tmp.resolve("app.log.gz");
        RealRuns.tool("bash", "-c", "gzip -c '" + run().resolve("app.log") + "' > '" + gz + "'");
        Path cut = tmp.resolve("cut.log.gz");
        RealRuns.tool("bash", "-c", "head -c " + Files.size(gz) * 2 / 3 + " '" + gz + "' > '" + cut + "'");
        // what zcat recovers before it reports the cut: blocks closed by "}" after arrayBuffers, and every trace-gc line
        String text = "zcat '" + cut + "' 2>/dev/null";
        int closed = Integer.parseInt(RealRuns.tool("bash", "-c", text + " | awk 'p ~ /arrayBuffers/ && $0 == \"}\" {n++} {p = $0} END {print n + 0}'").get(0));
        int bytes = Integer.parseInt(RealRuns.tool("bash", "-c", text + " | wc -c").get(0).trim());
        assertThat(closed).as("the cut keeps some samples").isPositive();

        Logs logs = Logs.open(cut);
        // a block the cut leaves open may still count (its numbers are all there); none is lost or invented
        assertThat(logs.memory().rowCount()).isBetween(closed, closed + 1);
        Table w = logs.warnings();
        String warning = w.stringColumn("message").asList().stream().filter(m -> m.contains("gz stream ends early"))
                .findFirst().orElseThrow(() -> new AssertionError("no 'gz stream ends early' warning in " + w));
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("after 0x(\\p{XDigit}+) decompressed bytes").matcher(warning);
        assertThat(at.find()).as(warning).isTrue();
        // zlib (the JDK's inflater) decodes a symbol or two more of the last partial block than gzip's own inflate,
        // whose lookahead holds them back: up to one deflate match (258 bytes) more than zcat, never fewer
        assertThat(Long.parseLong(at.group(1), 16)).as(warning).isBetween((long) bytes, bytes + 258L);
        // the report says it where a command-line user sees it
        assertThat(Report.of(logs).text()).contains("cut.log.gz").contains("ends early");
    }

    @Test
    void aFileThatOnlyStartsLikeGzipIsNamedAsSuch() throws IOException {
        Path fake = tmp.resolve("app.log.gz");
        byte[] log = Files.readAllBytes(run().resolve("app.log"));
        byte[] b = new byte[log.length + 2];
        b[0] = 0x1f;
        b[1] = (byte) 0x8b;
        System.arraycopy(log, 0, b, 2, log.length);
        Files.write(fake, b);
        assertThatThrownBy(() -> Logs.open(fake)).isInstanceOf(LogFormatException.class)
                .hasMessageContaining(fake.toString()).hasMessageContaining("gz magic number");
        assertThatThrownBy(() -> Metrics.open(fake)).isInstanceOf(LogFormatException.class)
                .hasMessageContaining("gz magic number");
    }

    @Test
    void aCoreGivenAsMetricsIsRefusedAtItsFirstNulWithoutReadingItAll() {
        Path core = TestCores.kernel();
        // the first NUL of an ELF core is e_ident[7] (EI_OSABI 0); od agrees
        String firstBytes = RealRuns.tool("bash", "-c", "od -An -tx1 -N8 '" + core + "'").get(0).trim();
        assertThat(firstBytes).endsWith("00");
        assertThatThrownBy(() -> Metrics.open(core)).isInstanceOf(LogFormatException.class)
                .hasMessageContaining(core.toString()).hasMessageContaining("binary").hasMessageContaining("0x7");
    }

    @Test
    void aScrapeCutShortHasNoMajorGcCountRatherThanZero() throws IOException {
        Path scrapes = RealRuns.run("leak", true).resolve("scrapes.prom");
        java.util.List<String> lines = Files.readAllLines(scrapes);
        // the last scrape, cut right after its rss line (curl stopped): its nodejs_gc_duration_seconds lines are gone
        int lastStamp = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("# \\d{4}-.*")) {
                lastStamp = i;
            }
        }
        int rssLine = lastStamp;
        while (!lines.get(rssLine).startsWith("process_resident_memory_bytes ")) {
            rssLine++;
        }
        Path cut = tmp.resolve("cut.prom");
        Files.write(cut, lines.subList(0, rssLine + 1));
        // what awk reads in the scrape before the cut one: full GCs had happened
        String before = RealRuns.tool("bash", "-c", "head -n " + lastStamp + " '" + cut + "' | awk '/^nodejs_gc_duration_seconds_count\\{kind=\"major\"/{v=$2} END{print v+0}'").get(0);
        assertThat(Double.parseDouble(before)).isPositive();

        Table m = Metrics.open(cut).memory();
        int last = m.rowCount() - 1;
        assertThat(m.doubleColumn("rss").get(last)).isEqualTo(Double.parseDouble(lines.get(rssLine).split(" ")[1]));
        assertThat(m.doubleColumn("majorGcs").get(last - 1)).isEqualTo(Double.parseDouble(before));
        assertThat(m.doubleColumn("majorGcs").isMissing(last)).as("a count of 0 after %s full GCs", before).isTrue();
    }

    @Test
    void aLogSavedAsUtf16OrWithAByteOrderMarkReadsLikeTheOriginal() {
        // PowerShell's `node app.js > app.log` writes UTF-16LE with a BOM; Windows editors add a UTF-8 BOM
        Path plain = run().resolve("app.log");
        Path le = tmp.resolve("utf16le.log"), be = tmp.resolve("utf16be.log"), bom = tmp.resolve("bom.log");
        RealRuns.tool("bash", "-c", "{ printf '\\377\\376'; iconv -f UTF-8 -t UTF-16LE '" + plain + "'; } > '" + le + "'"
                + " && { printf '\\376\\377'; iconv -f UTF-8 -t UTF-16BE '" + plain + "'; } > '" + be + "'"
                + " && { printf '\\357\\273\\277'; cat '" + plain + "'; } > '" + bom + "'");
        long rss = Long.parseLong(RealRuns.tool("grep", "-c", "^  rss: ", plain.toString()).get(0));
        long gcLines = Long.parseLong(RealRuns.tool("grep", "-cE", "ms: (Scavenge|Mark-Compact|Minor Mark-Compact|Mark-Sweep)",
                plain.toString()).get(0));
        Logs original = Logs.open(plain);
        for (Path p : new Path[] {le, be, bom}) {
            Logs l = Logs.open(p);
            assertThat(l.memory().rowCount()).as(p.toString()).isEqualTo((int) rss);
            assertThat(l.gc().rowCount()).as(p.toString()).isEqualTo((int) gcLines).isEqualTo(original.gc().rowCount());
            assertThat(l.eventLoop().rowCount()).as(p.toString()).isEqualTo(original.eventLoop().rowCount());
        }
        Path scrapes = tmp.resolve("scrapes-utf16.prom");
        RealRuns.tool("bash", "-c", "{ printf '\\377\\376'; iconv -f UTF-8 -t UTF-16LE '" + run().resolve("scrapes.prom") + "'; } > '" + scrapes + "'");
        assertThat(Metrics.open(scrapes).table().rowCount()).isEqualTo(Metrics.open(run().resolve("scrapes.prom")).table().rowCount());
    }

    @Test
    void anEmptyLogIsNamedEmptyInTheReport() throws IOException {
        // a log rotated away, or a stdout that went elsewhere: the report is empty and says why
        Path empty = tmp.resolve("app.log");
        Files.createFile(empty);
        Path err = run().resolve("app.err"); // the real run's stderr: empty too (wc agrees)
        assertThat(RealRuns.tool("wc", "-c", err.toString()).get(0).trim()).startsWith("0 ");
        String text = Report.of(Logs.open(empty, run().resolve("app.log"), err)).text();
        String sources = text.lines().filter(l -> l.startsWith("- Logs:")).findFirst().orElse("");
        assertThat(sources).contains(empty + " (empty)").contains(err + " (empty)")
                .doesNotContain(run().resolve("app.log") + " (empty)");
    }

    @Test
    void theReportNamesTheMetricsFilesItRead() {
        Path d = run();
        Report r = Report.of(Logs.open(d.resolve("app.log")), Metrics.open(d.resolve("scrapes.prom"), d.resolve("spans.json")));
        String sources = r.text().lines().filter(l -> l.startsWith("- Metrics:")).findFirst().orElse("");
        assertThat(sources).contains(d.resolve("scrapes.prom").toString()).contains(d.resolve("spans.json").toString())
                .doesNotContain("Metrics[");
    }
}
