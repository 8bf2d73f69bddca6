package dev.leakscope.logs;

import dev.leakscope.Logs;
import dev.leakscope.Report;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One log, several processes: cluster workers writing to one file, or a service that restarted (in a container
 * often with the same pid). Each process's --trace-gc uptime is its own clock: the report's "worst GC pause in 1 s"
 * is the worst of one process, never pauses of two processes (or two runs) added up, and it says which pid the
 * heap-after-GC figures are.
 */
class SeveralProcessesTest {

    @TempDir
    Path tmp;

    private static double worst(Path... logs) {
        Matcher m = Pattern.compile("Worst GC pause time in 1 s: ([0-9.]+) ms").matcher(Report.of(Logs.open(List.of(logs))).text());
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void gcPausesAreSummedPerProcessAndPerRun() {
        Path a = DamagedInputTest.run().resolve("app.log");
        Path b = Artifacts.get("qa-log-6s-gc", "log", "OUT", "--seconds", "6", "--trace-gc");
        String pidA = RealRuns.tool("bash", "-c", "grep -o '^\\[[0-9]*:' '" + a + "' | sort -u | tr -d '[:'").get(0);
        String pidB = RealRuns.tool("bash", "-c", "grep -o '^\\[[0-9]*:' '" + b + "' | sort -u | tr -d '[:'").get(0);
        assertThat(pidA).isNotEqualTo(pidB);

        Path two = tmp.resolve("two.log");
        RealRuns.tool("bash", "-c", "cat '" + a + "' '" + b + "' > '" + two + "'");
        Path restarted = tmp.resolve("restarted.log"); // the same process's log twice: a restart under the same pid
        RealRuns.tool("bash", "-c", "cat '" + a + "' '" + a + "' > '" + restarted + "'");

        assertThat(worst(two)).isEqualTo(Math.max(worst(a), worst(b)));
        assertThat(worst(restarted)).isEqualTo(worst(a));
        String text = Report.of(Logs.open(two)).text();
        assertThat(text).contains("Processes in the GC trace: 2").contains(pidA).contains(pidB);
    }
}
