package dev.leakscope.logs;

import dev.leakscope.Logs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node service run by systemd: its stdout reaches the post-mortem through rsyslog's file or
 * {@code journalctl -o short-iso}, every line behind "ISO-TIME HOST IDENT[PID]: ". The real run's log read that way
 * gives the same samples, GCs and event-loop lines as the plain file (grep counts them).
 */
class SyslogPrefixTest {

    @TempDir
    Path tmp;

    @Test
    void aLogBehindSyslogPrefixesReadsLikeThePlainLog() {
        Path plain = DamagedInputTest.run().resolve("app.log");
        Path syslog = tmp.resolve("syslog");
        // each line stamped with the time of the latest JSON line before it (pino's epoch-ms "time"), as journald would
        RealRuns.tool("node", "-e", """
                const fs = require('fs'); const [src, dst] = process.argv.slice(-2);
                const text = fs.readFileSync(src, 'utf8'); let t = +/"time":(\\d+)/.exec(text)[1];
                const lines = text.split('\\n'); if (lines[lines.length - 1] === '') lines.pop();
                fs.writeFileSync(dst, lines.map(l => { const m = /"time":(\\d+)/.exec(l); if (m) t = +m[1];
                  return new Date(t).toISOString().replace('Z', '+00:00') + ' web-1 node[4242]: ' + l; }).join('\\n') + '\\n');
                """, plain.toString(), syslog.toString());
        Logs a = Logs.open(plain), b = Logs.open(syslog);
        long rss = Long.parseLong(RealRuns.tool("grep", "-c", "^  rss: ", plain.toString()).get(0));
        long gcLines = Long.parseLong(RealRuns.tool("grep", "-cE", "ms: (Scavenge|Mark-Compact|Minor Mark-Compact|Mark-Sweep)",
                plain.toString()).get(0));
        assertThat(rss).isPositive();
        assertThat(b.memory().rowCount()).isEqualTo(a.memory().rowCount()).isEqualTo((int) rss);
        assertThat(b.memory().numberColumn("rss").asDoubleArray()).isEqualTo(a.memory().numberColumn("rss").asDoubleArray());
        assertThat(b.gc().rowCount()).isEqualTo(a.gc().rowCount()).isEqualTo((int) gcLines);
        assertThat(b.eventLoop().rowCount()).isEqualTo(a.eventLoop().rowCount()).isPositive();
        assertThat(b.warnings().rowCount()).isEqualTo(a.warnings().rowCount());
    }
}
