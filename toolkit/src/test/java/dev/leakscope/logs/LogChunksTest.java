package dev.leakscope.logs;

import dev.leakscope.Logs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Big plain files are read in parallel chunks: the tables equal a sequential read of the same bytes (gzip is read sequentially). */
class LogChunksTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void make() {
        RealRuns.makeAll();
    }

    @Test
    void parallelChunksGiveTheSameTablesAsOneSequentialPass() throws IOException {
        byte[] capture = Files.readAllBytes(RealRuns.run("leak", true).resolve("app.log"));
        Path plain = tmp.resolve("big.log");
        Path gz = tmp.resolve("big.log.gz");
        long target = 3 * LogReader.CHUNK;
        try (OutputStream a = Files.newOutputStream(plain); OutputStream b = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
            for (long n = 0; n < target; n += capture.length) {
                a.write(capture);
                b.write(capture);
            }
        }
        Logs parallel = Logs.open(plain);
        Logs sequential = Logs.open(gz);
        for (String what : new String[]{"memory", "gc", "eventLoop", "errors", "warnings"}) {
            Table p = table(parallel, what), s = table(sequential, what);
            p.removeColumns("file");
            s.removeColumns("file");
            assertThat(p.rowCount()).as(what).isEqualTo(s.rowCount());
            if (!what.equals("errors") && !what.equals("warnings")) {
                assertThat(p.rowCount()).as(what).isPositive();
            }
            for (String c : p.columnNames()) {
                assertThat(p.column(c).asList()).as(what + "." + c).isEqualTo(s.column(c).asList());
            }
        }
        long blocks = (long) Math.ceil((double) target / capture.length);
        assertThat(parallel.memory().rowCount()).isEqualTo(blocks * RealRuns.tool("grep", "-c", "^  rss: ",
                RealRuns.run("leak", true).resolve("app.log").toString()).stream().mapToLong(Long::parseLong).sum());
    }

    private static Table table(Logs l, String what) {
        return switch (what) {
            case "memory" -> l.memory();
            case "gc" -> l.gc();
            case "eventLoop" -> l.eventLoop();
            case "errors" -> l.errors();
            default -> l.warnings();
        };
    }
}
