package dev.leakscope.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakscope.Core;
import java.util.ArrayList;
import java.util.List;
import javax.swing.JLabel;
import javax.swing.RowSorter;
import javax.swing.SortOrder;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The result grid on a real core's strings table: head and tail, row count, numeric sort, regex filter. */
class TableViewTest {

    @Test
    void aBigTableShowsItsHeadAndTailAndSaysSo() {
        Table strings;
        try (Core core = Core.open(WorkbenchArtifacts.core())) {
            strings = core.strings().table();
        }
        int n = strings.rowCount();
        assertThat(n).isGreaterThan(TableView.LIMIT);
        TableView view = new TableView(strings);
        var grid = view.grid();
        assertThat(grid.getRowCount()).isEqualTo(TableView.LIMIT);
        int textCol = strings.columnIndex("text");
        assertThat(grid.getValueAt(0, textCol)).isEqualTo(strings.getString(0, "text"));
        assertThat(grid.getValueAt(TableView.LIMIT / 2 - 1, textCol)).isEqualTo(strings.getString(TableView.LIMIT / 2 - 1, "text"));
        assertThat(grid.getValueAt(TableView.LIMIT / 2, textCol)).isEqualTo(strings.getString(n - TableView.LIMIT / 2, "text"));
        assertThat(grid.getValueAt(TableView.LIMIT - 1, textCol)).isEqualTo(strings.getString(n - 1, "text"));
        assertThat(label(view)).isEqualTo(String.format("%,d rows × %d columns — showing the first %,d and last %,d",
                n, strings.columnCount(), TableView.LIMIT / 2, TableView.LIMIT / 2));
    }

    @Test
    void numbersSortAsNumbersAndTheFilterIsACaseInsensitiveRegexOverAllColumns() {
        Table t = Table.create("t", StringColumn.create("text", "b EMFILE", "a", "emfile c", "d", "x(y"),
                IntColumn.create("count", 9, 10, 100, 2, 1));
        TableView view = new TableView(t);
        var grid = view.grid();
        grid.getRowSorter().setSortKeys(List.of(new RowSorter.SortKey(1, SortOrder.DESCENDING)));
        List<Object> counts = new ArrayList<>();
        for (int r = 0; r < grid.getRowCount(); r++) {
            counts.add(grid.getValueAt(r, 1));
        }
        assertThat(counts).containsExactly(100, 10, 9, 2, 1); // as text, "9" would sort above "100"
        view.filter("emfile");
        assertThat(grid.getRowCount()).isEqualTo(2);
        assertThat(label(view)).endsWith("— 2 match");
        view.filter("^1");
        assertThat(grid.getRowCount()).as("any column: counts 100, 10 and 1").isEqualTo(3);
        view.filter("x(");
        assertThat(grid.getRowCount()).as("an invalid regex is taken literally").isEqualTo(1);
        view.filter("");
        assertThat(grid.getRowCount()).isEqualTo(5);
    }

    private static String label(TableView v) {
        return ((JLabel) ((javax.swing.JPanel) v.getComponent(0)).getComponent(0)).getText();
    }
}
