package dev.leakscope.plot;

import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads Tablesaw columns as plain numbers for charts: times as epoch ms, sizes as doubles, gaps as NaN. */
public final class Columns {

    private Columns() {
    }

    /** x values and how to show them. */
    public record XValues(double[] values, Chart.Scale scale, String title) {
    }

    /** The first column of {@code t} whose name equals one of {@code names} (ignoring case), or null. */
    public static Column<?> find(Table t, String... names) {
        for (String n : names) {
            for (Column<?> c : t.columns()) {
                if (c.name().equalsIgnoreCase(n)) {
                    return c;
                }
            }
        }
        return null;
    }

    /** Like {@link #find} but a missing column is an error naming the table's columns. */
    public static Column<?> require(Table t, String what, String... names) {
        Column<?> c = find(t, names);
        if (c == null) {
            throw new IllegalArgumentException(what + ": the table has no column " + String.join(" or ", names)
                    + " (its columns: " + String.join(", ", t.columnNames()) + ")");
        }
        return c;
    }

    /** Numeric values of {@code c} as doubles; missing values are NaN. Non-numeric columns are an error. */
    public static double[] numbers(Column<?> c) {
        if (!(c instanceof NumericColumn<?> n)) {
            throw new IllegalArgumentException("column '" + c.name() + "' is " + c.type().name() + ", not numeric");
        }
        double[] v = new double[c.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.isMissing(i) ? Double.NaN : n.getDouble(i);
        }
        return v;
    }

    /**
     * Time values of {@code c} as epoch milliseconds (instants, local date-times taken as UTC, ISO strings,
     * epoch seconds or milliseconds), or, for small numbers (time since start), the numbers as they are on
     * a linear axis titled with the column name.
     */
    public static XValues times(Column<?> c) {
        int n = c.size();
        double[] v = new double[n];
        if (c instanceof InstantColumn ic) {
            for (int i = 0; i < n; i++) {
                Instant t = ic.get(i);
                v[i] = t == null ? Double.NaN : t.toEpochMilli();
            }
            return new XValues(v, Chart.Scale.TIME, "time (UTC)");
        }
        if (c instanceof DateTimeColumn dc) {
            for (int i = 0; i < n; i++) {
                LocalDateTime t = dc.get(i);
                v[i] = t == null ? Double.NaN : t.toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            return new XValues(v, Chart.Scale.TIME, "time (UTC)");
        }
        if (c instanceof NumericColumn<?>) {
            v = numbers(c);
            double max = 0;
            for (double d : v) {
                if (!Double.isNaN(d)) {
                    max = Math.max(max, Math.abs(d));
                }
            }
            if (max > 1e11) { // epoch milliseconds (after 1973)
                return new XValues(v, Chart.Scale.TIME, "time (UTC)");
            }
            if (max > 1e8 && max < 1e10) { // epoch seconds
                for (int i = 0; i < n; i++) {
                    v[i] *= 1000;
                }
                return new XValues(v, Chart.Scale.TIME, "time (UTC)");
            }
            return new XValues(v, Chart.Scale.LINEAR, c.name());
        }
        if (c.type() == ColumnType.STRING) {
            for (int i = 0; i < n; i++) {
                v[i] = parseTime(c.getString(i));
            }
            return new XValues(v, Chart.Scale.TIME, "time (UTC)");
        }
        throw new IllegalArgumentException("column '" + c.name() + "' (" + c.type().name() + ") cannot be read as time");
    }

    private static double parseTime(String s) {
        if (s == null || s.isBlank()) {
            return Double.NaN;
        }
        try {
            return OffsetDateTime.parse(s.trim()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e2) {
                return Double.NaN;
            }
        }
    }

    /** Text values of {@code c} (any type), missing as empty strings. */
    public static String[] texts(Column<?> c) {
        String[] s = new String[c.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = c.isMissing(i) ? "" : c.getString(i);
        }
        return s;
    }

    /** Names of the numeric columns of {@code t} whose lower-case name starts with one of {@code prefixes}. */
    public static List<Column<?>> numericStartingWith(Table t, String... prefixes) {
        List<Column<?>> out = new ArrayList<>();
        for (Column<?> c : t.columns()) {
            String n = c.name().toLowerCase(Locale.ROOT);
            for (String p : prefixes) {
                if (n.startsWith(p.toLowerCase(Locale.ROOT)) && c instanceof NumericColumn<?>) {
                    out.add(c);
                    break;
                }
            }
        }
        return out;
    }
}
