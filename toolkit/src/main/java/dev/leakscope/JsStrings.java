package dev.leakscope;

import dev.leakscope.v8.HeapIndex;
import dev.leakscope.v8.V8Reader;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The JavaScript strings of a core: V8 string objects (sequential one-byte and two-byte, cons strings
 * flattened, sliced, external), not raw byte runs. Thin strings (forwarders to an internalized copy) are
 * left out; a cons string and the parts it is made of are each a string object and each listed. Immutable:
 * every option returns a new step.
 */
public final class JsStrings {

    private final HeapIndex index;
    private final int minLength;
    private final int maxLength;
    private final int maxChars;
    private final Pattern grep;

    JsStrings(HeapIndex index, int minLength, int maxLength, int maxChars, Pattern grep) {
        this.index = index;
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.maxChars = maxChars;
        this.grep = grep;
    }

    /** Only strings of at least {@code n} characters. */
    public JsStrings minLength(int n) {
        return new JsStrings(index, n, maxLength, maxChars, grep);
    }

    /** Only strings of at most {@code n} characters. */
    public JsStrings maxLength(int n) {
        return new JsStrings(index, minLength, n, maxChars, grep);
    }

    /** Texts are cut to {@code n} characters (default 4096; the length column keeps the real length). */
    public JsStrings maxChars(int n) {
        return new JsStrings(index, minLength, maxLength, n, grep);
    }

    /** Only strings whose (flattened, cut) text contains a match of {@code regex}. */
    public JsStrings grep(String regex) {
        return new JsStrings(index, minLength, maxLength, maxChars, Pattern.compile(Objects.requireNonNull(regex)));
    }

    private record Row(long address, String kind, String encoding, int length, int size, String text) {
    }

    private List<Row> rows() {
        V8Reader r = index.reader();
        long[] addrs = index.addressesOfKind("string");
        Row[] out = new Row[addrs.length];
        IntStream.range(0, addrs.length).parallel().forEach(i -> {
            long a = addrs[i];
            int type = r.instanceType(a);
            String kind = r.stringKind(type);
            int len = r.stringLength(a);
            if (kind.equals("thin") || len < minLength || len > maxLength) {
                return;
            }
            String text = r.string(a, maxChars);
            if (text == null || (grep != null && !grep.matcher(text).find())) {
                return;
            }
            int fixed = r.fixedInstanceSize(r.mapOf(a));
            out[i] = new Row(a, kind, r.isOneByte(type) ? "one-byte" : "two-byte", len,
                    fixed > 0 ? fixed : r.variableSize(a, type), text);
        });
        return java.util.Arrays.stream(out).filter(Objects::nonNull).toList();
    }

    /** How many string objects pass the filters. */
    public long count() {
        return rows().size();
    }

    /** One row per string object: address, kind (seq, cons, sliced, external), encoding, length, shallowSize, text. */
    public Table table() {
        StringColumn address = StringColumn.create("address");
        StringColumn kind = StringColumn.create("kind");
        StringColumn enc = StringColumn.create("encoding");
        IntColumn length = IntColumn.create("length");
        IntColumn size = IntColumn.create("shallowSize");
        StringColumn text = StringColumn.create("text");
        for (Row row : rows()) {
            address.append("0x" + Long.toHexString(row.address() - 1));
            kind.append(row.kind());
            enc.append(row.encoding());
            length.append(row.length());
            if (row.size() >= 0) {
                size.append(row.size());
            } else {
                size.appendMissing();
            }
            text.append(row.text());
        }
        return Table.create("jsStrings", address, kind, enc, length, size, text);
    }

    /** One row per distinct text: text, count (string objects holding it), length — most frequent first. */
    public Table countBy() {
        Map<String, long[]> m = new HashMap<>();
        for (Row row : rows()) {
            long[] c = m.computeIfAbsent(row.text(), k -> new long[2]);
            c[0]++;
            c[1] = row.length();
        }
        List<Map.Entry<String, long[]>> e = new java.util.ArrayList<>(m.entrySet());
        e.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0])
                : a.getKey().compareTo(b.getKey()));
        StringColumn text = StringColumn.create("text");
        LongColumn count = LongColumn.create("count");
        LongColumn length = LongColumn.create("length");
        for (Map.Entry<String, long[]> x : e) {
            text.append(x.getKey());
            count.append(x.getValue()[0]);
            length.append(x.getValue()[1]);
        }
        return Table.create("jsStringCounts", text, count, length);
    }

    @Override
    public String toString() {
        return "JsStrings[" + (minLength > 0 ? "minLength=" + minLength + ", " : "")
                + (maxLength < Integer.MAX_VALUE ? "maxLength=" + maxLength + ", " : "")
                + (grep != null ? "grep=" + grep.pattern() + ", " : "") + "maxChars=" + maxChars
                + "] — .count(), .table() or .countBy()";
    }
}
