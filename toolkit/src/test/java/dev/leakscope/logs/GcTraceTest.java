package dev.leakscope.logs;

import dev.leakscope.Logs;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** --trace-gc in its variants: real OOM tails and --trace-gc-nvp made by node at test time, plus V8's other spellings. */
class GcTraceTest {

    @TempDir
    Path tmp;

    private Path node(String name, String script, String... flags) throws Exception {
        Path js = tmp.resolve(name + ".js");
        Files.writeString(js, script);
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("node");
        cmd.addAll(List.of(flags));
        cmd.add(js.toString());
        Path out = tmp.resolve(name + ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(tmp.resolve(name + ".err").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not finish");
        }
        return out;
    }

    @Test
    void outOfMemoryTailOnStderr() throws Exception {
        Path out = node("oom", "const a=[]; setInterval(()=>{ for(let i=0;i<20000;i++) a.push({x:'y'.repeat(20)+i, i}); }, 1);",
                "--trace-gc", "--max-old-space-size=40");
        Path err = tmp.resolve("oom.err");
        assertThat(Files.readString(err)).contains("Last few GCs").contains("FATAL ERROR");
        Logs logs = Logs.open(out, err);
        Table gc = logs.gc();
        // the tail repeats GCs already on stdout: counted once
        int stdoutLines = RealRuns.tool("grep", "-c", " ms: ", out.toString()).stream().mapToInt(Integer::parseInt).sum();
        assertThat(gc.rowCount()).isEqualTo(stdoutLines);
        // the tail runs records together on one line ("…finalize increm[pid:0x…]"): each is still read
        Logs tailOnly = Logs.open(err);
        int tailRecords = RealRuns.tool("grep", "-o", "\\[[0-9]*:0x[0-9a-f]*\\] *[0-9]* ms: ", err.toString()).size();
        assertThat(tailOnly.gc().rowCount()).isEqualTo(tailRecords).isGreaterThanOrEqualTo(1);
        Table errors = logs.errors();
        assertThat(errors.where(errors.stringColumn("code").isEqualTo("FATAL")).stringColumn("message").get(0))
                .contains("Reached heap limit");
        assertThat(errors.stringColumn("message").asList()).noneMatch(m -> m.contains("OOMErrorHandler"));
        // the last full GC before the crash is close to the 40 MB limit
        Table full = gc.where(gc.booleanColumn("full").isTrue());
        assertThat(full.longColumn("heapAfter").get(full.rowCount() - 1) / 1048576.0).isGreaterThan(20);
    }

    @Test
    void traceGcNvp() throws Exception {
        Path out = node("nvp", "const a=[];for(let i=0;i<300000;i++)a.push({i});gc();gc();", "--trace-gc-nvp", "--expose-gc");
        Table gc = Logs.open(out).gc();
        List<String> lines = RealRuns.tool("grep", "-c", "pause=", out.toString());
        assertThat(gc.rowCount()).isEqualTo(Integer.parseInt(lines.get(0)));
        Table mc = gc.where(gc.stringColumn("type").isEqualTo("Mark-Compact"));
        List<String> mcs = RealRuns.tool("grep", "-cE", " gc=(mc|ms) ", out.toString());
        assertThat(mc.rowCount()).isEqualTo(Integer.parseInt(mcs.get(0))).isGreaterThanOrEqualTo(2);
        assertThat(mc.booleanColumn("full").countTrue()).isEqualTo(mc.rowCount());
        // total_size_after in bytes, independently with awk
        List<String> after = RealRuns.tool("awk", "/ gc=(mc|ms) /{for(i=1;i<=NF;i++) if($i ~ /^total_size_after=/){split($i,a,\"=\"); print a[2]}}",
                out.toString());
        assertThat(mc.longColumn("heapAfter").get(0)).isEqualTo(Long.parseLong(after.get(0)));
        assertThat(gc.doubleColumn("pauseMs").min()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void reduceAndExplicitGcsFromARealRun() throws Exception {
        // global.gc() and memory pressure notifications give "(reduce)" / "testing" Mark-Compacts
        Path out = node("reduce", "const v8=require('v8');const a=[];for(let i=0;i<200000;i++)a.push({i});"
                + "gc();a.length=0;require('vm').runInNewContext('1');gc({type:'major'});"
                + "if (global.gc) { for (let i = 0; i < 3; i++) gc(); }", "--trace-gc", "--expose-gc");
        Table gc = Logs.open(out).gc();
        List<String> full = RealRuns.tool("grep", "-c", "Mark-Compact", out.toString());
        assertThat(gc.booleanColumn("full").countTrue()).isEqualTo(Integer.parseInt(full.get(0)));
        List<String> reduce = RealRuns.tool("grep", "-c", "(reduce)", out.toString());
        assertThat(gc.booleanColumn("reduce").countTrue()).isEqualTo(Integer.parseInt(reduce.get(0)));
        assertThat(gc.stringColumn("reason").asList()).anyMatch(r -> r.contains("testing"));
    }

    /** Spellings of other V8 versions (FORMATS.md §5 and V8's heap/gc-tracer.cc), which node 20 cannot print. */
    @Test
    void otherV8Spellings() throws IOException {
        Path f = tmp.resolve("spellings.log");
        Files.writeString(f, String.join("\n",
                // older V8 (node ≤ 10): %.1f / %.1f ms, Mark-sweep, reason in brackets
                "[1234:0x3a2b5c0]     1012 ms: Scavenge 8.6 (13.5) -> 7.4 (14.0) MB, 1.2 / 0.0 ms  [allocation failure].",
                "[1234:0x3a2b5c0]     2040 ms: Mark-sweep 10.2 (15.0) -> 9.8 (16.0) MB, 12.3 / 0.0 ms  (+ 1.2 ms in 3 steps since start of marking, biggest step 0.5 ms, walltime since start of marking 20 ms) [finalize incremental marking via stack guard] [GC in old space requested].",
                // newer V8 (node 22+): "(interleaved)", "pooled: … MB"
                "[5509:0x1c06cc00]       29 ms: Scavenge (interleaved) 3.8 (4.0) -> 3.6 (5.0) MB, pooled: 0.0 MB, 2.33 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ",
                "[5509:0x1c06cc00]      261 ms: Mark-Compact (reduce) 71.1 (90.8) -> 64.5 (99.3) MB, pooled: 1.0 MB, 17.00 / 0.00 ms  (+ 34.7 ms in 187 steps since start of marking, biggest step 20.0 ms, walltime since start of marking 90 ms) (average mu = 0.5, current mu = 0.4) finalize incremental marking via task; GC in old space requested",
                "[5509:0x1c06cc00]      300 ms: Minor Mark-Compact 4.0 (6.0) -> 3.0 (6.0) MB, 1.50 / 0.00 ms  (average mu = 0.9, current mu = 0.9) allocation failure; ",
                ""));
        Table gc = Logs.open(f).gc();
        assertThat(gc.stringColumn("type").asList()).containsExactly("Scavenge", "Mark-sweep", "Scavenge", "Mark-Compact",
                "Minor Mark-Compact");
        assertThat(gc.booleanColumn("full").asList()).containsExactly(false, true, false, true, false);
        assertThat(gc.booleanColumn("reduce").asList()).containsExactly(false, false, false, true, false);
        assertThat(gc.longColumn("heapAfter").get(3) / 1048576.0).isCloseTo(64.5, within(0.01));
        assertThat(gc.longColumn("committedAfter").get(3) / 1048576.0).isCloseTo(99.3, within(0.01));
        assertThat(gc.doubleColumn("pauseMs").get(3)).isEqualTo(17.0);
        assertThat(gc.doubleColumn("incrementalMs").get(3)).isEqualTo(34.7);
        assertThat(gc.doubleColumn("muCurrent").get(3)).isEqualTo(0.4);
        assertThat(gc.stringColumn("reason").get(1)).isEqualTo("finalize incremental marking via stack guard] [GC in old space requested");
        assertThat(gc.stringColumn("collectorReason").get(3)).isEqualTo("GC in old space requested");
        assertThat(gc.intColumn("pid").get(0)).isEqualTo(1234);
    }

    @Test
    void realAppTraceInterleavedWithMemoryLines() {
        Path d = RealRuns.run("healthy", true);
        Logs logs = Logs.open(d.resolve("app.log"));
        Table gc = logs.gc();
        assertThat(gc.rowCount()).isEqualTo(RealRuns.tool("grep", "-c", " ms: ", d.resolve("app.log").toString()).stream()
                .mapToInt(Integer::parseInt).sum());
        // wall-clock times are estimated from the timestamped lines around the trace
        assertThat(gc.instantColumn("time").countMissing()).isZero();
        assertThat(logs.warnings().rowCount()).isZero();
        assertThat(Artifacts.dir()).exists();
    }
}
