package dev.leakscope.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.leakscope.Displayable;
import tech.tablesaw.api.Table;

/**
 * Turns a live cell value into a MIME bundle (MIME type → data) for any front end. Built in: {@link Displayable}
 * (Figure, Report…) renders itself; a Tablesaw {@link Table} becomes an HTML table of its head and tail with
 * the row count, plus text; everything else is its {@code toString()} (arrays element by element), cut at
 * {@value #MAX_TEXT} characters. {@link #register} adds a renderer for another type.
 */
public final class Renderers {

    /** Longest text/plain rendered for a value, in characters. */
    public static final int MAX_TEXT = 200_000;

    private static final List<Entry<?>> ENTRIES = new ArrayList<>();

    private record Entry<T>(Class<T> type, Function<? super T, Map<String, String>> renderer) {
        Map<String, String> apply(Object o) {
            return renderer.apply(type.cast(o));
        }
    }

    static {
        register(Table.class, TableHtml::bundle);
        register(Displayable.class, Displayable::mimeBundle);
        // a cell ending in heap.strings().grep(…) shows its table as tables show (head, tail, row count)
        register(dev.leakscope.HeapStrings.class, s -> TableHtml.bundle(s.table()));
    }

    private Renderers() {
    }

    /** Renders values of {@code type} (and subtypes) with {@code renderer}; later registrations win. */
    public static synchronized <T> void register(Class<T> type, Function<? super T, Map<String, String>> renderer) {
        ENTRIES.add(0, new Entry<>(type, renderer));
    }

    /** The MIME bundle for {@code value}; always contains text/plain. Never throws: a failing renderer says so. */
    public static Map<String, String> render(Object value) {
        Map<String, String> bundle;
        Entry<?> entry = find(value);
        try {
            bundle = entry == null ? null : entry.apply(value);
        } catch (RuntimeException | LinkageError e) {
            bundle = null;
            Map<String, String> b = text(value);
            b.put(Displayable.TEXT, b.get(Displayable.TEXT) + "\n[leakscope: rendering " + value.getClass().getName()
                    + " failed: " + e + "]");
            return b;
        }
        if (bundle == null || bundle.isEmpty()) {
            return text(value);
        }
        if (!bundle.containsKey(Displayable.TEXT)) {
            Map<String, String> b = new LinkedHashMap<>(bundle);
            b.put(Displayable.TEXT, safeToString(value));
            return b;
        }
        return bundle;
    }

    private static synchronized Entry<?> find(Object value) {
        if (value == null) {
            return null;
        }
        for (Entry<?> e : ENTRIES) {
            if (e.type.isInstance(value)) {
                return e;
            }
        }
        return null;
    }

    /** Plain text of a value (what jshell shows), cut at {@link #MAX_TEXT} characters. */
    public static String plainText(Object value) {
        return render(value).get(Displayable.TEXT);
    }

    private static Map<String, String> text(Object value) {
        Map<String, String> b = new LinkedHashMap<>();
        b.put(Displayable.TEXT, safeToString(value));
        return b;
    }

    static String safeToString(Object value) {
        String s;
        try {
            if (value == null) {
                s = "null";
            } else if (value instanceof Object[]) {
                s = Arrays.deepToString((Object[]) value);
            } else if (value.getClass().isArray()) {
                s = Arrays.deepToString(new Object[] {value});
                s = s.substring(1, s.length() - 1);
            } else if (value instanceof String) {
                s = quote((String) value);
            } else if (value instanceof Character) {
                s = "'" + value + "'";
            } else {
                s = String.valueOf(value);
            }
        } catch (RuntimeException | LinkageError e) {
            return value.getClass().getName() + " (toString() threw " + e + ")";
        }
        if (s.length() > MAX_TEXT) {
            s = s.substring(0, MAX_TEXT) + String.format("%n[leakscope: %,d more characters not shown]", s.length() - MAX_TEXT);
        }
        return s;
    }

    private static String quote(String s) {
        if (s.length() > MAX_TEXT) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
