package dev.leakscope.logs;

import dev.leakscope.Logs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * memoryUsage spellings the example app does not print, printed by node's own util.inspect at test time: TTY
 * colours, numeric separators, CRLF, MB strings; node writes the same samples as JSON to stderr for jq to read.
 */
class LogVariantsTest {

    @TempDir
    Path tmp;

    private Path node(String name, String script) throws Exception {
        Path js = tmp.resolve(name + ".js");
        Files.writeString(js, script);
        Path out = tmp.resolve(name + ".log");
        Process p = new ProcessBuilder("node", js.toString()).redirectOutput(out.toFile())
                .redirectError(tmp.resolve(name + ".json").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }

    private static final String SAMPLES = "const util = require('util'); const keep = [];\n"
            + "for (let i = 0; i < 6; i++) { for (let j = 0; j < 20000; j++) keep.push({ j });\n"
            + "  const m = process.memoryUsage(); process.stderr.write(JSON.stringify(m) + '\\n'); print(m); }\n";

    private void sameAsJq(Path log) {
        Table m = Logs.open(log).memory();
        Path json = Path.of(log.toString().replace(".log", ".json"));
        for (String f : new String[]{"rss", "heapTotal", "heapUsed", "external", "arrayBuffers"}) {
            List<String> jq = RealRuns.tool("jq", "-r", "." + f, json.toString());
            assertThat(m.longColumn(f).asList()).as(f).containsExactlyElementsOf(jq.stream().map(Long::parseLong).toList());
        }
    }

    @Test
    void ttyColoursNumericSeparatorsAndCrlf() throws Exception {
        Path log = node("colours", "function print(m) { process.stdout.write(util.inspect(m, { colors: true, "
                + "numericSeparator: true }).replace(/\\n/g, '\\r\\n') + '\\r\\n'); }\n" + SAMPLES);
        String text = Files.readString(log);
        assertThat(text).contains("\u001b[33m").contains("\r\n").containsPattern("[0-9]_[0-9]{3}");
        sameAsJq(log);
        assertThat(Logs.open(log).warnings().rowCount()).isZero();
    }

    @Test
    void isoPrefixedOneLineAndKeyValueLinesInMegabytes() throws Exception {
        Path iso = node("iso", "function print(m) { console.log(new Date().toISOString() + ' ' + util.inspect(m, { breakLength: Infinity })); }\n"
                + SAMPLES);
        sameAsJq(iso);
        assertThat(Logs.open(iso).memory().booleanColumn("timeEstimated").countTrue()).isZero();
        // "rss: 40.12 MB" lines, one key per line, as hand-written loggers print them
        Path mb = node("mb", "function print(m) { for (const k of Object.keys(m)) console.log(`${k}: ${(m[k] / 1048576).toFixed(2)} MB`); }\n"
                + SAMPLES);
        Table t = Logs.open(mb).memory();
        List<String> rss = RealRuns.tool("jq", "-r", ".rss", tmp.resolve("mb.json").toString());
        assertThat(t.rowCount()).isEqualTo(rss.size());
        for (int i = 0; i < rss.size(); i++) {
            assertThat((double) t.longColumn("rss").get(i)).isCloseTo(Double.parseDouble(rss.get(i)),
                    org.assertj.core.data.Offset.offset(0.006 * 1048576));
        }
    }
}
