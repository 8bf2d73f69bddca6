package dev.leakscope;

import dev.leakscope.core.CoreFile;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gdb {@code gcore} core (every mapping dumped, ~900 segments, PROT_NONE reservations as zeros) instead of a
 * kernel one: the same objects, instances and stack come out.
 */
class JavaScriptGcoreTest {

    static final int WIDGETS = 777;

    @Test
    void gcoreOfTheAppGivesItsWidgetsAndItsJsStack() throws Exception {
        Path core = Artifacts.get("js-widgets.gcore", "core", "gcore", "OUT", "--seconds", "3", "--",
                "--widgets", Integer.toString(WIDGETS), "--ready-spin");
        try (Core c = Core.open(core)) {
            assertThat(c.file().segments().size()).isGreaterThan(100);   // a gcore, not a kernel core
            JavaScript js = c.js();
            Table w = js.instances("Widget");
            assertThat(w.where(w.stringColumn("serial").isNotMissing()).rowCount()).isEqualTo(WIDGETS);
            assertThat(JavaScriptCoreTest.count(js.objects(), "Widget")).isGreaterThanOrEqualTo(WIDGETS);

            Table stack = js.stack();
            List<String> functions = stack.where(stack.stringColumn("kind").isEqualTo("js")).stringColumn("function").asList();
            assertThat(functions).contains("spinUntilKilled", "processImmediate");
            List<String> app = Files.readAllLines(Artifacts.root().resolve("examples/apps/orders-service.js"));
            int line = JavaScriptCoreTest.lineOf(app, "for (;;) x = spinStep(x);");
            Table spin = stack.where(stack.stringColumn("function").isEqualTo("spinUntilKilled"));
            assertThat(spin.intColumn("line").get(0)).isEqualTo(line);
        }
    }
}
