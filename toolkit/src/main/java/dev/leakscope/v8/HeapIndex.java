package dev.leakscope.v8;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/** The heap objects found in a core, grouped by type; built once by {@link HeapScanner}, then only read. */
public final class HeapIndex {

    private final V8Reader reader;
    private final ObjectBitmap objects;
    private final HeapScanner.MapInfo[] maps;
    private final HeapScanner.TypeKey[] types;
    private final Map<Long, Integer> mapIds;
    private final long[] counts;
    private final long[] sizes;
    private final long[] unknownSizes;
    private final long objectCount;
    private final long scannedBytes;
    private final List<String> warnings;

    HeapIndex(V8Reader reader, ObjectBitmap objects, HeapScanner.MapInfo[] maps, HeapScanner.TypeKey[] types,
              Map<Long, Integer> mapIds, long[] mapCounts, long[] mapSizes, long[] mapUnknown, long scannedBytes,
              List<String> warnings) {
        this.reader = reader;
        this.objects = objects;
        this.maps = maps;
        this.types = types;
        this.mapIds = mapIds;
        this.scannedBytes = scannedBytes;
        this.warnings = List.copyOf(warnings);
        counts = new long[types.length];
        sizes = new long[types.length];
        unknownSizes = new long[types.length];
        long n = 0;
        for (int m = 0; m < maps.length; m++) {
            int t = maps[m].typeId();
            counts[t] += mapCounts[m];
            sizes[t] += mapSizes[m];
            unknownSizes[t] += mapUnknown[m];
            n += mapCounts[m];
        }
        objectCount = n;
    }

    public V8Reader reader() {
        return reader;
    }

    /** Number of distinct objects found. */
    public long objectCount() {
        return objectCount;
    }

    /** Bytes of writable memory scanned. */
    public long scannedBytes() {
        return scannedBytes;
    }

    public List<String> warnings() {
        return warnings;
    }

    /**
     * One row per type with kinds accepted by {@code kinds}: name, kind, count, totalShallowSize (missing
     * when leakscope cannot size some of the objects), most instances first.
     */
    public Table table(Set<String> kinds) {
        List<Integer> rows = new ArrayList<>();
        for (int t = 0; t < types.length; t++) {
            if (counts[t] > 0 && kinds.contains(types[t].kind())) {
                rows.add(t);
            }
        }
        rows.sort((a, b) -> counts[a] != counts[b] ? Long.compare(counts[b], counts[a])
                : types[a].name().compareTo(types[b].name()));
        StringColumn name = StringColumn.create("name");
        StringColumn kind = StringColumn.create("kind");
        LongColumn count = LongColumn.create("count");
        LongColumn size = LongColumn.create("totalShallowSize");
        for (int t : rows) {
            name.append(types[t].name());
            kind.append(types[t].kind());
            count.append(counts[t]);
            if (unknownSizes[t] > 0) {
                size.appendMissing();
            } else {
                size.append(sizes[t]);
            }
        }
        return Table.create("objects", name, kind, count, size);
    }

    /** Count of objects of the type called {@code name} (any kind), 0 when none. */
    public long count(String name) {
        long n = 0;
        for (int t = 0; t < types.length; t++) {
            if (types[t].name().equals(name)) {
                n += counts[t];
            }
        }
        return n;
    }

    /** Total shallow size of objects called {@code name}, -1 when some cannot be sized. */
    public long totalShallowSize(String name) {
        long n = 0;
        for (int t = 0; t < types.length; t++) {
            if (types[t].name().equals(name)) {
                if (unknownSizes[t] > 0) {
                    return -1;
                }
                n += sizes[t];
            }
        }
        return n;
    }

    /** Addresses (tagged pointers) of the objects called {@code name}, ascending. */
    public long[] addressesOf(String name) {
        return addressesWhere(t -> types[t].name().equals(name));
    }

    /** Addresses (tagged pointers) of the objects whose type is of {@code kind}, ascending. */
    public long[] addressesOfKind(String kind) {
        return addressesWhere(t -> types[t].kind().equals(kind));
    }

    private long[] addressesWhere(IntPredicate typeWanted) {
        long n = 0;
        java.util.Set<Long> wantedMaps = new java.util.HashSet<>();
        for (int m = 0; m < maps.length; m++) {
            if (typeWanted.test(maps[m].typeId())) {
                wantedMaps.add(maps[m].map());
            }
        }
        long[][] out = {new long[64]};
        int[] size = {0};
        objects.forEach(addr -> {
            long map = reader.memory().word(addr);
            if (!wantedMaps.contains(map)) {
                return;
            }
            long tagged = addr + 1;
            if (!reader.plausible(tagged, reader.instanceTypeOfMap(map))) {
                return;
            }
            if (size[0] == out[0].length) {
                out[0] = java.util.Arrays.copyOf(out[0], size[0] * 2);
            }
            out[0][size[0]++] = tagged;
        });
        long[] r = java.util.Arrays.copyOf(out[0], size[0]);
        java.util.Arrays.sort(r);
        return r;
    }

    /** The names of all types found, for "did you mean" messages. */
    public Set<String> names() {
        Set<String> s = new LinkedHashSet<>();
        for (HeapScanner.TypeKey k : types) {
            s.add(k.name());
        }
        return Collections.unmodifiableSet(s);
    }

    /**
     * Instances of {@code name}: one row each with address, shallowSize, then one string column per
     * property name (in first-seen order); values are numbers, quoted strings, or {@code Ctor@0x…}.
     */
    public Table instances(String name, int limit) {
        long[] addrs = addressesOf(name);
        if (addrs.length == 0) {
            List<String> near = new ArrayList<>();
            for (String n : names()) {
                if (n.equalsIgnoreCase(name) || n.toLowerCase().contains(name.toLowerCase())) {
                    near.add(n);
                }
            }
            throw new V8Exception("no objects named '" + name + "' in " + reader.memory().source()
                    + (near.isEmpty() ? "" : "; similar names: " + near.subList(0, Math.min(10, near.size()))));
        }
        final int n = Math.min(addrs.length, limit);
        Map<String, String[]> cols = new LinkedHashMap<>();
        StringColumn address = StringColumn.create("address");
        IntColumn shallow = IntColumn.create("shallowSize");
        for (int i = 0; i < n; i++) {
            long a = addrs[i];
            address.append("0x" + Long.toHexString(a - 1));
            long map = reader.mapOf(a);
            int fixed = reader.fixedInstanceSize(map);
            shallow.append(fixed > 0 ? fixed : reader.variableSize(a, reader.instanceTypeOfMap(map)));
            if (reader.isReceiver(reader.instanceTypeOfMap(map))) {
                for (V8Reader.Property p : reader.properties(a, 200)) {
                    cols.computeIfAbsent(p.name(), k -> new String[n])[i] = p.value();
                }
                if (reader.isFunctionType(reader.instanceTypeOfMap(map))) {
                    String fn = reader.functionName(a);
                    cols.computeIfAbsent("function", k -> new String[n])[i] = fn;
                }
            } else if (reader.isString(reader.instanceTypeOfMap(map))) {
                cols.computeIfAbsent("text", k -> new String[n])[i] = reader.string(a, 200);
            }
        }
        Table t = Table.create(name, address, shallow);
        for (Map.Entry<String, String[]> e : cols.entrySet()) {
            String col = e.getKey();
            if (col.equals("address") || col.equals("shallowSize")) {
                col = "property:" + col;
            }
            StringColumn c = StringColumn.create(col);
            for (String v : e.getValue()) {
                if (v == null) {
                    c.appendMissing();
                } else {
                    c.append(v);
                }
            }
            t.addColumns(c);
        }
        return t;
    }
}
