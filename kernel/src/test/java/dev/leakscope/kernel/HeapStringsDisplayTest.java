package dev.leakscope.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import dev.leakscope.Displayable;
import dev.leakscope.Heap;
import dev.leakscope.HeapStrings;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * A cell ending in {@code heap.strings().grep(...)} (the README's step, without {@code .table()}) shows the strings
 * as a table does: HTML head and tail with the row count, not a text print of the first 20 rows that hides the rest.
 */
class HeapStringsDisplayTest {

    @Test
    void aStringsSelectionShowsAsItsTableWithTheRowCount() {
        Path s9 = Artifacts.get("heap-leak", "snapshots", "OUT", "--mode", "leak", "--at", "3,6,9").resolve("s9.heapsnapshot");
        HeapStrings all = Heap.open(s9).strings().minLength(4);
        Table t = all.table();
        assertThat(t.rowCount()).isGreaterThan(100);
        Map<String, String> b = Renderers.render(all);
        assertThat(b).containsKey(Displayable.HTML);
        assertThat(b.get(Displayable.HTML)).contains(String.format("%,d rows", t.rowCount()));
        assertThat(b.get(Displayable.TEXT)).contains(String.format("%,d rows", t.rowCount()));
        assertThat(b.get(Displayable.HTML)).isEqualTo(TableHtml.bundle(t).get(Displayable.HTML));
    }
}
