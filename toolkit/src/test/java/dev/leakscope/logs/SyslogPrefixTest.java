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

    @Test
    void journalctlsShortFormatWithoutAYearReadsLikeThePlainLog() throws Exception {
        // `journalctl -u orders` (and classic /var/log/syslog): "Nov 21 12:36:27 web-1 node[4242]: …", no year
        Path plain = DamagedInputTest.run().resolve("app.log");
        Path journal = tmp.resolve("journal.txt");
        RealRuns.tool("node", "-e", """
                const fs = require('fs'); const [src, dst] = process.argv.slice(-2);
                const M = ['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'];
                const text = fs.readFileSync(src, 'utf8'); let t = +/"time":(\\d+)/.exec(text)[1];
                const f = d => M[d.getUTCMonth()] + ' ' + String(d.getUTCDate()).padStart(2, ' ') + ' ' + d.toISOString().substr(11, 8);
                const lines = text.split('\\n'); if (lines[lines.length - 1] === '') lines.pop();
                fs.writeFileSync(dst, lines.map(l => { const m = /"time":(\\d+)/.exec(l); if (m) t = +m[1];
                  return f(new Date(t)) + ' web-1 node[4242]: ' + l; }).join('\\n') + '\\n');
                """, plain.toString(), journal.toString());
        java.nio.file.Files.setLastModifiedTime(journal, java.nio.file.Files.getLastModifiedTime(plain));
        Logs a = Logs.open(plain), b = Logs.open(journal);
        long rss = Long.parseLong(RealRuns.tool("grep", "-c", "^  rss: ", plain.toString()).get(0));
        assertThat(b.memory().rowCount()).isEqualTo(a.memory().rowCount()).isEqualTo((int) rss);
        assertThat(b.gc().rowCount()).isEqualTo(a.gc().rowCount()).isPositive();
        assertThat(b.eventLoop().rowCount()).isEqualTo(a.eventLoop().rowCount());
        // the journal's clock, in the year the file was written: within the run's own pino times (to the second)
        var el = a.eventLoop().instantColumn("time");
        java.time.Instant first = el.min().minusSeconds(2), last = el.max().plusSeconds(2);
        for (java.time.Instant t : b.memory().instantColumn("time").asList()) {
            assertThat(t).isBetween(first, last);
        }
    }
}
