package dev.leakscope.workbench;

import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.JTextField;
import javax.swing.RowFilter;
import javax.swing.SwingConstants;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;
import javax.swing.table.AbstractTableModel;
import javax.swing.table.DefaultTableCellRenderer;
import javax.swing.table.TableRowSorter;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw table as a sortable, filterable grid. Tables longer than {@link #LIMIT} rows show their first and
 * last {@code LIMIT / 2} rows; the header says how many rows there are and how many are shown. Cells read
 * as Tablesaw prints them; sorting compares the values (numbers as numbers).
 */
final class TableView extends JPanel {

    /** Most rows put in the grid: the head and tail halves of this many. */
    static final int LIMIT = 10_000;

    private final Model model;
    private final JTable grid;
    private final TableRowSorter<Model> sorter;
    private final JLabel count = new JLabel();
    private final JTextField filter = new JTextField(24);

    TableView(Table table) {
        super(new BorderLayout());
        model = new Model(table);
        Renderer renderer = new Renderer();
        grid = new JTable(model) {
            @Override
            public javax.swing.table.TableCellRenderer getCellRenderer(int row, int column) {
                return renderer;
            }
        };
        sorter = new TableRowSorter<>(model);
        grid.setRowSorter(sorter);
        grid.setAutoResizeMode(table.columnCount() > 8 ? JTable.AUTO_RESIZE_OFF : JTable.AUTO_RESIZE_SUBSEQUENT_COLUMNS);
        grid.setFillsViewportHeight(true);
        for (int c = 0; c < table.columnCount(); c++) {
            int width = Math.min(420, Math.max(60, 8 * widest(table, c)));
            grid.getColumnModel().getColumn(c).setPreferredWidth(width);
        }
        JPanel top = new JPanel(new FlowLayout(FlowLayout.LEFT, 6, 2));
        top.add(count);
        top.add(new JLabel("  filter:"));
        filter.setToolTipText("keep rows where any cell matches this regular expression (case-insensitive)");
        filter.getDocument().addDocumentListener(new DocumentListener() {
            public void insertUpdate(DocumentEvent e) { applyFilter(); }
            public void removeUpdate(DocumentEvent e) { applyFilter(); }
            public void changedUpdate(DocumentEvent e) { applyFilter(); }
        });
        top.add(filter);
        add(top, BorderLayout.NORTH);
        JScrollPane scroll = new JScrollPane(grid);
        int visible = Math.min(Math.max(model.getRowCount(), 1), 14);
        scroll.setPreferredSize(new Dimension(600, grid.getRowHeight() * visible + grid.getTableHeader().getPreferredSize().height + 6));
        add(scroll, BorderLayout.CENTER);
        updateCount();
    }

    /** The grid (for tests and the window's copy action). */
    JTable grid() {
        return grid;
    }

    /** Sets the filter text (as if typed). */
    void filter(String regex) {
        filter.setText(regex);
    }

    private static int widest(Table t, int c) {
        int w = t.column(c).name().length();
        Column<?> col = t.column(c);
        for (int r = 0; r < Math.min(t.rowCount(), 50); r++) {
            w = Math.max(w, col.getString(r).length());
        }
        return w;
    }

    private void applyFilter() {
        String text = filter.getText();
        if (text.isEmpty()) {
            sorter.setRowFilter(null);
        } else {
            Pattern p;
            try {
                p = Pattern.compile(text, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            } catch (PatternSyntaxException e) {
                p = Pattern.compile(Pattern.quote(text), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            }
            Pattern re = p;
            sorter.setRowFilter(new RowFilter<Model, Integer>() {
                @Override
                public boolean include(Entry<? extends Model, ? extends Integer> e) {
                    int row = e.getIdentifier();
                    for (int c = 0; c < model.getColumnCount(); c++) {
                        if (re.matcher(model.text(row, c)).find()) {
                            return true;
                        }
                    }
                    return false;
                }
            });
        }
        updateCount();
    }

    private void updateCount() {
        Table t = model.table;
        StringBuilder sb = new StringBuilder(String.format("%,d rows × %d columns", t.rowCount(), t.columnCount()));
        if (model.getRowCount() < t.rowCount()) {
            sb.append(String.format(" — showing the first %,d and last %,d", model.head, model.getRowCount() - model.head));
        }
        if (sorter.getRowFilter() != null) {
            sb.append(String.format(" — %,d match", grid.getRowCount()));
        }
        count.setText(sb.toString());
    }

    /** The rows shown: all, or the head and the tail. */
    static final class Model extends AbstractTableModel {
        final Table table;
        final int head;
        final int shown;

        Model(Table table) {
            this.table = table;
            int n = table.rowCount();
            this.shown = Math.min(n, LIMIT);
            this.head = n <= LIMIT ? n : LIMIT / 2;
        }

        /** The table row shown at model row {@code r}. */
        int tableRow(int r) {
            return r < head ? r : table.rowCount() - (shown - r);
        }

        String text(int r, int c) {
            return table.column(c).getString(tableRow(r));
        }

        @Override
        public int getRowCount() {
            return shown;
        }

        @Override
        public int getColumnCount() {
            return table.columnCount();
        }

        @Override
        public String getColumnName(int c) {
            return table.column(c).name();
        }

        @Override
        public Class<?> getColumnClass(int c) {
            ColumnType t = table.column(c).type();
            if (t == ColumnType.INTEGER) return Integer.class;
            if (t == ColumnType.LONG) return Long.class;
            if (t == ColumnType.DOUBLE) return Double.class;
            if (t == ColumnType.FLOAT) return Float.class;
            if (t == ColumnType.SHORT) return Short.class;
            if (t == ColumnType.BOOLEAN) return Boolean.class;
            if (t == ColumnType.LOCAL_DATE_TIME) return LocalDateTime.class;
            if (t == ColumnType.LOCAL_DATE) return LocalDate.class;
            if (t == ColumnType.LOCAL_TIME) return LocalTime.class;
            if (t == ColumnType.INSTANT) return Instant.class;
            return String.class;
        }

        @Override
        public Object getValueAt(int r, int c) {
            Column<?> col = table.column(c);
            int row = tableRow(r);
            if (col.isMissing(row)) {
                return null;
            }
            return getColumnClass(c) == String.class ? col.getString(row) : col.get(row);
        }
    }

    /** Shows each cell as Tablesaw prints it; numbers right-aligned. */
    private final class Renderer extends DefaultTableCellRenderer {
        @Override
        public Component getTableCellRendererComponent(JTable t, Object v, boolean sel, boolean focus, int row, int col) {
            int mr = t.convertRowIndexToModel(row);
            int mc = t.convertColumnIndexToModel(col);
            super.getTableCellRendererComponent(t, model.text(mr, mc), sel, focus, row, col);
            setHorizontalAlignment(Number.class.isAssignableFrom(model.getColumnClass(mc)) ? SwingConstants.RIGHT : SwingConstants.LEFT);
            return this;
        }
    }
}
