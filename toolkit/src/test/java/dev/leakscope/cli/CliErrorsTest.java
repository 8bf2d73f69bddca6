package dev.leakscope.cli;

import dev.leakscope.core.TestCores;
import dev.leakscope.testing.Artifacts;
import dev.leakscope.testing.CacheDir;
import dev.leakscope.testing.Captured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wrong options and unwritable outputs on the command line: one line naming the command and what was wrong, exit 2
 * for bad usage and 1 for a file — never a Java stack trace. And {@code --top N} means the N biggest rows.
 */
class CliErrorsTest {

    @TempDir
    Path tmp;

    private static void oneLineError(Captured r, int code, String command, String... says) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err()).startsWith("leakscope " + command + ": ").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        for (String s : says) {
            assertThat(r.err()).contains(s);
        }
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() {
        String core = TestCores.kernel().toString();
        oneLineError(ReportCommandTest.run("strings", core, "--grep", "(Error"), 2, "strings", "not a valid regular expression", "(Error");
        oneLineError(ReportCommandTest.run("strings", core, "-n", "0"), 2, "strings", "0");
        oneLineError(ReportCommandTest.run("js", core, "--strings", "["), 2, "js", "not a valid regular expression");
        oneLineError(ReportCommandTest.run("js", core, "--top", "0"), 2, "js", "--top");
        Path log = DamagedLog.log();
        oneLineError(ReportCommandTest.run("report", "--log", log.toString(), "--prometheus", "http://127.0.0.1:1", "--since", "yesterday"),
                2, "report", "not a duration", "yesterday");
        oneLineError(ReportCommandTest.run("report", "--log", log.toString(), "--heap-limit", "-5"), 2, "report", "--heap-limit");
    }

    @Test
    void anOutputThatCannotBeWrittenIsNamed() {
        Path log = DamagedLog.log();
        oneLineError(ReportCommandTest.run("report", "--log", log.toString(), "-o", tmp.toString()), 1, "report", tmp.toString());
        Path missing = tmp.resolve("no/such/dir/report.txt");
        oneLineError(ReportCommandTest.run("report", "--log", log.toString(), "-o", missing.toString()), 1, "report",
                missing.toString(), "no such file");
    }

    @Test
    void jsTopPrintsTheBiggestRowsOnly() {
        String core = TestCores.kernel().toString();
        Captured all = ReportCommandTest.run("js", core, "--top", "100000");
        Captured top = ReportCommandTest.run("js", core, "--top", "5");
        assertThat(top.code()).as(top.err()).isZero();
        List<Long> allCounts = counts(all.out());
        List<Long> topCounts = counts(top.out());
        // the five largest counts of the whole table, in order — not the first and last rows of it
        assertThat(allCounts.size()).isGreaterThan(5);
        assertThat(topCounts).isEqualTo(allCounts.subList(0, 5));
        assertThat(top.out()).contains("(" + allCounts.size() + " rows, first 5 shown)");
    }

    @Test
    void heapObjectsOfAnUnknownConstructorSaySoAndSuggestTheRightCase() throws Exception {
        Path s3 = Artifacts.get("heap-leak", "snapshots", "OUT", "--mode", "leak", "--at", "3,6,9").resolve("s3.heapsnapshot");
        // the independent count: the snapshot does hold RequestContext objects (jq over its strings table)
        assertThat(dev.leakscope.core.TestCores.run("jq", "-r", ".strings | index(\"RequestContext\")", s3.toString()).strip())
                .isNotEqualTo("null");
        CacheDir.with(tmp.resolve("cache"), () -> {
            Captured r = ReportCommandTest.run("heap", s3.toString(), "--objects", "requestcontext", "--top", "1");
            assertThat(r.code()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains("no objects named 'requestcontext'").contains("did you mean 'RequestContext'?");
        });
    }

    @Test
    void helpTextsAreParagraphsNotLinesBrokenTwice() {
        // a description given as several strings is broken after each of them as well as at the width:
        // "…its threads with" / "pc/sp," / "and its memory regions…"
        for (String cmd : new String[] {"core", "strings", "js", "heap", "demo"}) {
            Captured r = ReportCommandTest.run(cmd, "--help");
            assertThat(r.code()).isZero();
            List<String> lines = r.out().lines().toList();
            int first = 0;
            while (lines.get(first).startsWith("Usage:") || lines.get(first).startsWith(" ")) {
                first++;
            }
            int end = first;
            while (end < lines.size() && !lines.get(end).startsWith(" ")) {
                end++;
            }
            for (int i = first; i < end - 1; i++) {
                assertThat(lines.get(i).length()).as(cmd + " --help line " + i + ": '" + lines.get(i) + "'").isGreaterThan(60);
            }
        }
    }

    /** The count column of the printed objects table: name | kind | count | totalShallowSize. */
    private static List<Long> counts(String out) {
        List<Long> c = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*\\S.*?\\|\\s+(object|closure|string|internal)\\s+\\|\\s+(\\d+)\\s+\\|").matcher(out);
        while (m.find()) {
            c.add(Long.parseLong(m.group(2)));
        }
        return c;
    }

    /** A short real log for the report's argument checks (the run DamagedInputTest reads too). */
    static final class DamagedLog {
        static Path log() {
            return Artifacts.get("qa-run-6s", "run", "OUT", "--seconds", "6", "--trace-gc", "--scrape-every", "2").resolve("app.log");
        }
    }
}
