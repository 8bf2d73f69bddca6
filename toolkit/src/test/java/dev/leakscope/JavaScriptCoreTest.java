package dev.leakscope;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.leakscope.core.CoreFile;
import dev.leakscope.core.ThreadState;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * findjsobjects/findjsinstances/JS strings/JS stack/backtrace on a real kernel core of the example app,
 * holding a known number of Widget and SpecialWidget (a subclass) instances, with a heap snapshot written by
 * the same process just before the core: counts are checked against the app's own numbers and against the
 * snapshot read by node itself ({@code snapshot-counts.js}), lines against the app's source and node's own
 * built-in source, metadata against gdb, threads against the core's notes.
 */
class JavaScriptCoreTest {

    static final int WIDGETS = 12345;
    static final int SPECIAL = 321;

    static Path dir;
    static Path core;
    static JavaScript js;
    static Map<String, long[]> snapshot;

    @BeforeAll
    static void open() throws Exception {
        dir = Artifacts.get("js-widgets-kernel", "core-snapshot", "kernel", "OUT", "--seconds", "3", "--",
                "--widgets", Integer.toString(WIDGETS), "--special-widgets", Integer.toString(SPECIAL), "--ready-spin");
        core = dir.resolve("core");
        js = JavaScript.open(core);
        snapshot = snapshotCounts(dir.resolve("before.heapsnapshot"));
    }

    @AfterAll
    static void close() {
        if (js != null) {
            js.close();
        }
    }

    /** {name: [count, selfSize]} from node's JSON.parse of the snapshot (the independent check). */
    static Map<String, long[]> snapshotCounts(Path snap) throws Exception {
        Path script = Path.of(JavaScriptCoreTest.class.getResource("/dev/leakscope/v8/snapshot-counts.js").toURI());
        String json = run("node", script.toString(), snap.toString());
        Map<String, long[]> out = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                p.nextToken();
                long c = p.getLongValue();
                p.nextToken();
                long s = p.getLongValue();
                p.nextToken();
                out.put(k, new long[] {c, s});
            }
        }
        return out;
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit of %s", List.of(cmd)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    static long count(Table objects, String name) {
        for (Row r : objects) {
            if (r.getString("name").equals(name)) {
                return r.getLong("count");
            }
        }
        return 0;
    }

    static long size(Table objects, String name) {
        for (Row r : objects) {
            if (r.getString("name").equals(name)) {
                return r.isMissing("totalShallowSize") ? -1 : r.getLong("totalShallowSize");
            }
        }
        return 0;
    }

    @Test
    void widgetInstancesAreExactlyTheAppsWidgets() {
        Table w = js.instances("Widget");
        // Widget instances carry serial/label; SpecialWidget.prototype is named Widget too (as DevTools does)
        Table withSerial = w.where(w.stringColumn("serial").isNotMissing());
        assertThat(withSerial.rowCount()).isEqualTo(WIDGETS);
        Set<Integer> serials = new TreeSet<>();
        for (Row r : withSerial) {
            int serial = Integer.parseInt(r.getString("serial"));
            serials.add(serial);
            assertThat(r.getString("label")).isEqualTo("'widget-" + serial + "'");
            assertThat(r.getInt("shallowSize")).isPositive();
        }
        assertThat(serials).hasSize(WIDGETS).first().isEqualTo(0);
        assertThat(((TreeSet<Integer>) serials).last()).isEqualTo(WIDGETS - 1);

        Table s = js.instances("SpecialWidget");
        assertThat(s.rowCount()).isEqualTo(SPECIAL);
        assertThat(s.stringColumn("special").asList()).containsOnly("true");
        assertThat(s.stringColumn("serial").asList().stream().map(Integer::parseInt).collect(Collectors.toSet()))
                .hasSize(SPECIAL).contains(0, SPECIAL - 1);
    }

    @Test
    void countsAndSizesOfLiveClassesEqualTheSnapshotTakenJustBefore() {
        Table objects = js.objects();
        // every instance of these is reachable from module scope (leak mode never prunes the sessions Map)
        for (String name : List.of("Widget", "SpecialWidget", "RequestContext")) {
            long[] snap = snapshot.get(name);
            assertThat(snap).as("snapshot has %s", name).isNotNull();
            assertThat(count(objects, name)).as("count of %s", name).isEqualTo(snap[0]);
            assertThat(size(objects, name)).as("total shallow size of %s", name).isEqualTo(snap[1]);
        }
        assertThat(count(objects, "RequestContext")).isPositive();
    }

    @Test
    void countsOfAllBigConstructorsAreCloseToTheSnapshot() {
        Table objects = js.objects();
        long snapTotal = 0;
        long coreTotal = 0;
        for (Map.Entry<String, long[]> e : snapshot.entrySet()) {
            String name = e.getKey();
            long snap = e.getValue()[0];
            if (snap < 100 || name.startsWith("system /") || name.startsWith("closure:")
                    || (name.startsWith("(") && !name.equals("(closure)") && !name.contains("string"))) {
                continue;   // small groups, and V8 internals the snapshot groups differently
            }
            long c = count(objects, name);
            // the core also holds garbage the snapshot's GC collected, never fewer live objects
            assertThat(c).as("count of %s (snapshot %d)", name, snap).isBetween(snap - snap / 100 - 1, snap + snap / 20 + 5);
            snapTotal += snap;
            coreTotal += c;
        }
        assertThat(snapTotal).isGreaterThan(50_000);
        assertThat((double) coreTotal / snapTotal).isBetween(0.99, 1.05);
    }

    @Test
    void consStringsAreFlattenedAndTwoByteStringsDecoded() {
        Table contexts = js.instances("RequestContext");
        Set<String> ids = new HashSet<>();
        for (Row r : contexts) {
            ids.add(r.getString("id").replace("'", ""));
        }
        assertThat(ids).hasSize(contexts.rowCount());
        // body = 2048 'x' + id: a cons string in V8; flattened, its text ends with the context's id
        Table bodies = js.strings().grep("^x{2048}[0-9a-f-]{36}$").table();
        Set<String> suffixes = new HashSet<>();
        for (Row r : bodies) {
            String t = r.getString("text");
            suffixes.add(t.substring(2048));
            assertThat(r.getInt("length")).isEqualTo(2048 + 36);
        }
        assertThat(suffixes).containsAll(ids);
        assertThat(bodies.stringColumn("kind").asList()).contains("cons");

        // the app's customers with non-Latin-1 names are two-byte strings
        Table names = js.strings().grep("^(Иван Петров|王小明)$").table();
        assertThat(names.stringColumn("text").asSet()).containsExactlyInAnyOrder("Иван Петров", "王小明");
        assertThat(names.stringColumn("encoding").asSet()).containsOnly("two-byte");

        Table counts = js.strings().grep("^HTTP/1\\.1 200").countBy();
        assertThat(counts.rowCount()).isPositive();
        assertThat(counts.longColumn("count").get(0)).isPositive();
    }

    @Test
    void mainThreadJsStackShowsTheSpinningFunctionAtItsLine() throws Exception {
        Table stack = js.stack();
        Table jsFrames = stack.where(stack.stringColumn("kind").isEqualTo("js"));
        assertThat(jsFrames.rowCount()).isGreaterThanOrEqualTo(2);
        List<String> app = Files.readAllLines(Artifacts.root().resolve("examples/apps/orders-service.js"));
        // the signal lands in spinUntilKilled's loop or in spinStep, which it calls
        int i = 0;
        if (jsFrames.row(0).getString("function").equals("spinStep")) {
            // at its entry (V8 puts the function's position on the entry stack check) or in its body
            assertThat(jsFrames.row(0).getInt("line")).isBetween(lineOf(app, "function spinStep(x) {"),
                    lineOf(app, "return (x * 1103515245 + 12345)"));
            i = 1;
        }
        Row top = jsFrames.row(i);
        assertThat(top.getString("function")).isEqualTo("spinUntilKilled");
        assertThat(top.getString("script")).endsWith("examples/apps/orders-service.js");
        assertThat(top.getInt("line")).isEqualTo(lineOf(app, "for (;;) x = spinStep(x);"));
        assertThat(top.getString("lineKind")).isEqualTo("current");

        Row caller = jsFrames.row(i + 1);
        assertThat(caller.getString("function")).isEqualTo("processImmediate");
        assertThat(caller.getString("script")).isEqualTo("node:internal/timers");
        // node's own copy of that built-in source, at the line we computed, calls the immediate's callback
        String line = run("node", "--no-deprecation", "-p", "process.binding('natives')['internal/timers'].split('\\n')["
                + (caller.getInt("line") - 1) + "]");
        assertThat(line).contains("_onImmediate");
    }

    static int lineOf(List<String> lines, String text) {
        int found = -1;
        for (int k = 0; k < lines.size(); k++) {
            if (lines.get(k).contains(text)) {
                assertThat(found).as("'%s' appears once", text).isEqualTo(-1);
                found = k + 1;
            }
        }
        assertThat(found).as("'%s' in the app", text).isPositive();
        return found;
    }

    @Test
    void backtraceHasEveryThreadOfTheCore() {
        Table bt = js.backtrace();
        Set<Integer> gdbTids = new HashSet<>(bt.intColumn("tid").asList());
        Set<Integer> noteTids = new HashSet<>();
        try (CoreFile cf = CoreFile.open(core)) {
            for (ThreadState t : cf.threads()) {
                noteTids.add(t.tid());
            }
        }
        assertThat(gdbTids).isEqualTo(noteTids);
        assertThat(bt.stringColumn("function").asList()).anyMatch(f -> f.contains("uv_run") || f.contains("epoll"));
        assertThat(bt.intColumn("frame").min()).isZero();
    }

    @Test
    void metadataValuesComeFromTheBinaryAndFromTheCoreWhereTheFileHoldsZero() throws Exception {
        Table md = js.metadata();
        Map<String, String> origin = new HashMap<>();
        Map<String, Long> value = new HashMap<>();
        for (Row r : md) {   // a Row is a cursor: copy its values
            origin.put(r.getString("name"), r.getString("origin"));
            value.put(r.getString("name"), r.getLong("value"));
        }
        String objType = "v8dbg_type_JSObject__JS_OBJECT_TYPE";
        String ext = "nodedbg_offset_ExternalString__data__uintptr_t";
        assertThat(origin.get(objType)).isEqualTo("binary");
        assertThat(origin.get(ext)).isEqualTo("core");
        String gdb = run("gdb", "-batch", "-nx", "-ex", "p (int)v8dbg_type_JSObject__JS_OBJECT_TYPE",
                "-ex", "p (long)nodedbg_offset_ExternalString__data__uintptr_t", js.binary().toString(), core.toString());
        assertThat(gdb).contains("$1 = " + value.get(objType)).contains("$2 = " + value.get(ext));
        assertThat(js.info().stringColumn("buildId").get(0)).isEqualTo(js.info().stringColumn("coreBuildId").get(0));
    }

    @Test
    void theCoreDslGivesTheSameAnswersWithAGivenBinary() {
        try (Core c = Core.open(core)) {
            Core withBinary = c.withBinary(js.binary().toString());
            JavaScript j = withBinary.js();
            assertThat(withBinary.js()).isSameAs(j);   // scanned once per Core
            assertThat(j.instances("SpecialWidget").rowCount()).isEqualTo(SPECIAL);
            assertThat(count(j.objects(), "Widget")).isEqualTo(count(js.objects(), "Widget"));
            assertThat(c.backtrace().rowCount()).isEqualTo(js.backtrace().rowCount());
        }
    }

    @Test
    void closuresGroupTheLeakedListenersByFunction() throws Exception {
        Table closures = js.closures();
        Table onReload = closures.where(closures.stringColumn("name").isEqualTo("onReload"));
        assertThat(onReload.rowCount()).isEqualTo(1);
        long[] snap = snapshot.get("closure:onReload");
        assertThat(snap).isNotNull();
        // one listener closure per request in leak mode: as many as the snapshot's, as many as the contexts
        assertThat(onReload.longColumn("count").get(0)).isEqualTo(snap[0]).isEqualTo(count(js.objects(), "RequestContext"));
        assertThat(onReload.longColumn("totalShallowSize").get(0)).isEqualTo(snap[1]);
        List<String> app = Files.readAllLines(Artifacts.root().resolve("examples/apps/orders-service.js"));
        assertThat(onReload.intColumn("line").get(0)).isEqualTo(lineOf(app, "const onReload = (cfg) => ctx.reload(cfg);"));
        assertThat(onReload.stringColumn("script").get(0)).endsWith("examples/apps/orders-service.js");
    }

    @Test
    void theCommandLinePrintsTheObjectsAndExitsZero() {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        int rc;
        try {
            System.setOut(new java.io.PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = dev.leakscope.cli.Main.run("js", core.toString(), "--top", "5");
        } finally {
            System.setOut(old);
        }
        assertThat(rc).isZero();
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("Widget").contains("objects in").contains("scanned in");
    }
}
