package dev.leakscope.logs;

import dev.leakscope.Leak;
import dev.leakscope.LeakVerdict;
import dev.leakscope.LogFormatException;
import dev.leakscope.Logs;
import dev.leakscope.Trend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input: clear errors naming the file, warnings with line numbers, INCONCLUSIVE instead of exceptions. */
class BadInputTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void make() {
        RealRuns.makeAll();
    }

    @Test
    void unknownFormatNamesTheFileAndShowsTheFirstLines() throws IOException {
        Path f = tmp.resolve("notes.txt");
        Files.writeString(f, "deploy finished\nall good here\nnothing to see\n");
        assertThatThrownBy(() -> Logs.open(f)).isInstanceOf(LogFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("unknown log format")
                .hasMessageContaining("deploy finished").hasMessageContaining("all good here");
    }

    @Test
    void anUnrecognisedFileNextToARealLogIsAWarning() throws IOException {
        Path f = tmp.resolve("stdout.txt");
        Files.writeString(f, "orders-service started\nlistening\n");
        Logs logs = Logs.open(RealRuns.formats().resolve("inspect.log"), f);
        assertThat(logs.memory().rowCount()).isPositive();
        assertThat(logs.warnings().stringColumn("message").asList()).anyMatch(m -> m.contains("unknown log format")
                && m.contains("orders-service started"));
    }

    @Test
    void binaryFileIsRefusedWithTheOffset() throws IOException {
        Path f = tmp.resolve("node.bin");
        try (var in = Files.newInputStream(Path.of(RealRuns.tool("bash", "-c", "readlink -f $(command -v node)").get(0)))) {
            Files.write(f, in.readNBytes(4096));
        }
        assertThatThrownBy(() -> Logs.open(f)).isInstanceOf(LogFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("binary").hasMessageContaining("0x");
    }

    @Test
    void missingFileIsNamed() {
        Path f = tmp.resolve("nope.log");
        assertThatThrownBy(() -> Logs.open(f)).isInstanceOf(LogFormatException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("no such file");
    }

    @Test
    void malformedLinesOfARealLogAreSkippedAndListedWithLineNumbers() throws IOException {
        Path real = RealRuns.formats().resolve("inspect.log");
        List<String> lines = new ArrayList<>(Files.readAllLines(real));
        // damage: a value that is not a number, a block cut short, a broken trace-gc-looking JSON line
        int rssLine = -1, cut = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("  rss:")) {
                if (rssLine < 0) {
                    rssLine = i;
                } else if (cut < 0 && i > rssLine + 10) {
                    cut = i;
                }
            }
        }
        lines.set(rssLine, "  rss: banana,");
        lines.add(cut + 2, "orders-service: something unrelated in the middle of a block");
        lines.add("{\"level\":30,\"memory\":{\"rss\":12");
        Path f = tmp.resolve("damaged.log");
        Files.write(f, lines);
        Logs logs = Logs.open(f);
        Table w = logs.warnings();
        assertThat(w.rowCount()).as(w.printAll()).isGreaterThanOrEqualTo(3);
        assertThat(w.longColumn("line").asList()).contains((long) rssLine + 1, (long) cut + 3, (long) lines.size());
        assertThat(w.stringColumn("message").asList()).anyMatch(s -> s.contains("expected a number after 'rss:'"));
        assertThat(w.stringColumn("message").asList()).anyMatch(s -> s.contains("malformed JSON"));
        // the undamaged samples are still read
        int good = RealRuns.tool("grep", "-cE", "^  rss: [0-9]+", f.toString()).stream().mapToInt(Integer::parseInt).sum();
        assertThat(logs.memory().longColumn("rss").countMissing() + logs.memory().rowCount()).isGreaterThanOrEqualTo(good);
    }

    @Test
    void emptyLogIsInconclusiveWithTheReason() throws IOException {
        Path f = tmp.resolve("empty.log");
        Files.writeString(f, "");
        Logs logs = Logs.open(f);
        assertThat(logs.formats().stringColumn("format").asList()).containsExactly("(empty file)");
        assertThat(logs.memory().rowCount()).isZero();
        LeakVerdict v = Leak.verdict(logs);
        assertThat(v.outcome()).isEqualTo(LeakVerdict.Outcome.INCONCLUSIVE);
        assertThat(v.reason()).contains("no memory samples");
    }

    @Test
    void oneSampleIsInconclusiveWithTheReason() throws IOException {
        List<String> lines = Files.readAllLines(RealRuns.formats().resolve("inspect.log"));
        int open = lines.indexOf("{");
        Path f = tmp.resolve("one.log");
        Files.write(f, lines.subList(open, open + 7));
        LeakVerdict v = Leak.verdict(Logs.open(f));
        assertThat(v.outcome()).isEqualTo(LeakVerdict.Outcome.INCONCLUSIVE);
        assertThat(v.reason()).contains("1 memory sample").contains("too little data");
    }

    @Test
    void trendOfNothingIsNotAnException() {
        assertThat(Trend.of(new double[0]).n()).isZero();
        assertThat(Trend.of(new double[]{1, 2}).slope()).isNaN();
        assertThat(Trend.of(new double[]{1, 2}).p()).isEqualTo(1);
        assertThat(Trend.of(new double[]{5, 5, 5, 5}).p()).isEqualTo(1);
    }
}
