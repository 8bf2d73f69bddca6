package dev.leakscope;

import dev.leakscope.heap.HeapGraph;
import dev.leakscope.heap.HeapIndex;
import dev.leakscope.heap.Snapshot;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The string objects of a heap snapshot (what {@code strings heapdump | grep} finds, but with who holds them).
 * Immutable: every step returns a new selection. Terminal: {@link #table()}, {@link #count()}.
 */
public final class HeapStrings implements Displayable {

    private final Snapshot s;
    private final Pattern pattern;
    private final int minLength;

    HeapStrings(Snapshot s, Pattern pattern, int minLength) {
        this.s = s;
        this.pattern = pattern;
        this.minLength = minLength;
    }

    /** Keeps strings in which the regular expression {@code regex} is found (find semantics). */
    public HeapStrings grep(String regex) {
        return new HeapStrings(s, Pattern.compile(regex), minLength);
    }

    /** Keeps strings of at least {@code n} characters. */
    public HeapStrings minLength(int n) {
        return new HeapStrings(s, pattern, n);
    }

    /**
     * One row per distinct text: text (clipped to 200 characters), length, count (string objects with that
     * value), holders (objects retaining them), shallowSize; most held first.
     */
    public Table table() {
        HeapGraph g = s.g;
        HeapIndex x = s.x;
        int sn = g.strings.size();
        int[] count = new int[sn];
        long[] holders = new long[sn];
        long[] size = new long[sn];
        Boolean[] match = new Boolean[sn];
        for (int i = 0; i < g.nodeCount; i++) {
            if (g.nodeType[i] != g.ntString) {
                continue;
            }
            int k = g.nodeName[i];
            if (k < 0 || k >= sn) {
                continue;
            }
            if (match[k] == null) {
                String t = g.strings.get(k);
                match[k] = t.length() >= minLength && (pattern == null || pattern.matcher(t).find());
            }
            if (!match[k]) {
                continue;
            }
            count[k]++;
            size[k] += g.selfSize(i);
            int prev = -1;
            for (int r = x.retFirst()[i]; r < x.retFirst()[i + 1]; r++) {
                if (x.retSrc()[r] != prev) {
                    holders[k]++;
                    prev = x.retSrc()[r];
                }
            }
        }
        List<Integer> rows = new ArrayList<>();
        for (int k = 0; k < sn; k++) {
            if (count[k] > 0) {
                rows.add(k);
            }
        }
        rows.sort((a, b) -> holders[b] != holders[a] ? Long.compare(holders[b], holders[a]) : Integer.compare(count[b], count[a]));
        StringColumn text = StringColumn.create("text");
        LongColumn len = LongColumn.create("length");
        LongColumn cnt = LongColumn.create("count");
        LongColumn hold = LongColumn.create("holders");
        LongColumn sh = LongColumn.create("shallowSize");
        for (int k : rows) {
            text.append(clip(g.strings.get(k)));
            len.append(g.strings.length(k));
            cnt.append(count[k]);
            hold.append(holders[k]);
            sh.append(size[k]);
        }
        return Table.create("strings", text, len, cnt, hold, sh);
    }

    /** Number of distinct texts selected. */
    public long count() {
        return table().rowCount();
    }

    static String clip(String t) {
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    /** Shows as its {@link #table()} (a cell ending in {@code .grep(...)} shows the strings). */
    @Override
    public java.util.Map<String, String> mimeBundle() {
        return java.util.Map.of(TEXT, table().print());
    }

    @Override
    public String toString() {
        return "HeapStrings[" + (pattern == null ? "all" : "grep " + pattern) + (minLength > 0 ? ", minLength " + minLength : "") + "]";
    }
}
