package dev.leakscope.logs;

import dev.leakscope.Logs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each memoryUsage log format on a real capture, cross-checked with grep reading the same file. */
class LogFormatsTest {

    @BeforeAll
    static void make() {
        RealRuns.makeAll();
    }

    @ParameterizedTest
    @ValueSource(strings = {"inspect", "iso-line", "iso-prefix", "oneline", "json", "pino", "bunyan", "winston"})
    void everyFormatGivesTheSamplesGrepSees(String format) {
        Path log = RealRuns.formats().resolve(format + ".log");
        Logs logs = Logs.open(log);
        Table m = logs.memory();
        // grep -o finds every rss value, whatever the spelling (rss: 123, "rss":123)
        List<String> rss = RealRuns.tool("grep", "-oE", "rss\"?: ?[0-9]+", log.toString());
        assertThat(m.rowCount()).as(format).isEqualTo(rss.size()).isGreaterThan(5);
        for (int i = 0; i < rss.size(); i++) {
            long v = Long.parseLong(rss.get(i).replaceAll("[^0-9]", ""));
            assertThat(m.longColumn("rss").get(i)).isEqualTo(v);
        }
        List<String> heapUsed = RealRuns.tool("grep", "-oE", "heapUsed\"?: ?[0-9]+", log.toString());
        assertThat(m.longColumn("heapUsed").asList()).containsExactlyElementsOf(
                heapUsed.stream().map(s -> Long.parseLong(s.replaceAll("[^0-9]", ""))).toList());
        assertThat(m.longColumn("arrayBuffers").countMissing()).isZero();
        // times: own for timestamped formats, interpolated from the pino event-loop lines otherwise
        assertThat(m.instantColumn("time").countMissing()).isZero();
        boolean own = List.of("iso-line", "iso-prefix", "pino", "bunyan", "winston").contains(format);
        assertThat(m.booleanColumn("timeEstimated").countTrue()).isEqualTo(own ? 0 : m.rowCount());
        // the event-loop lines interleaved with every format
        List<String> loops = RealRuns.tool("grep", "-c", "\"msg\":\"eventloop\"", log.toString());
        assertThat(logs.eventLoop().rowCount()).isEqualTo(Integer.parseInt(loops.get(0)));
        assertThat(logs.warnings().rowCount()).as(logs.warnings().printAll()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"iso-line", "pino", "bunyan"})
    void timesAreTheLoggedTimes(String format) {
        Path log = RealRuns.formats().resolve(format + ".log");
        Table m = Logs.open(log).memory();
        // independent: the first ISO time or epoch ms in the file after the startup line
        String first = format.equals("pino")
                ? java.time.Instant.ofEpochMilli(Long.parseLong(RealRuns.tool("grep", "-m1", "-oE", "\"time\":[0-9]+,\"pid\":[0-9]+,\"hostname\"",
                log.toString()).get(0).replaceAll("\"time\":([0-9]+),.*", "$1"))).toString()
                : RealRuns.tool("grep", "-m1", "-oE", format.equals("bunyan") ? "\"time\":\"[^\"]+\",\"v\"" : "^[0-9-]+T[0-9:.]+Z$",
                log.toString()).get(0).replaceAll("\"time\":\"([^\"]+)\".*", "$1");
        assertThat(m.instantColumn("time").get(0).toString()).isEqualTo(first);
    }

    @org.junit.jupiter.api.Test
    void errorLinesOfARealEmfileStorm() {
        Path dir = RealRuns.formats();
        Path err = dir.resolve("errors.err");
        int emfile = Integer.parseInt(RealRuns.tool("grep", "-c", "EMFILE", err.toString()).get(0));
        assertThat(emfile).isPositive();
        Logs logs = Logs.open(dir.resolve("errors.log"), err);
        Table errors = logs.errors();
        Table e = errors.where(errors.stringColumn("code").isEqualTo("EMFILE"));
        assertThat(e.rowCount()).isEqualTo(emfile);
        assertThat(e.instantColumn("time").countMissing()).isZero();
        // lines with their own ISO prefix keep it; the crash's lines after the last one get an estimated time
        int prefixed = Integer.parseInt(RealRuns.tool("grep", "-cE", "^[0-9-]+T[0-9:.]+Z .*EMFILE", err.toString()).get(0));
        assertThat(e.booleanColumn("timeEstimated").countFalse()).isEqualTo(prefixed);
        // the time is the line's own ISO prefix
        String first = RealRuns.tool("grep", "-m1", "EMFILE", err.toString()).get(0);
        assertThat(e.instantColumn("time").get(0).toString()).isEqualTo(first.substring(0, first.indexOf(' ')));
        assertThat(e.stringColumn("message").get(0)).contains("too many open files");
    }
}
