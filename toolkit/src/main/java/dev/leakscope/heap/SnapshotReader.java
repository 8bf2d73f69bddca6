package dev.leakscope.heap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.leakscope.HeapSnapshotException;
import dev.leakscope.Progress;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Streams a V8 {@code .heapsnapshot} (JSON, optionally gzip-compressed) into a {@link HeapGraph} with
 * jackson-core's token stream: numbers go straight into primitive arrays, nothing is built per node. The node
 * and edge layouts come from {@code snapshot.meta}. Declared counts are only a capacity hint, clamped by what the
 * file size allows, so a lying header cannot make us allocate gigabytes. Damage after the header yields what
 * could be read plus {@link HeapGraph#warnings}; damage before it is a {@link HeapSnapshotException} naming the
 * byte offset.
 */
public final class SnapshotReader {

    /** What to keep. */
    public enum Mode {
        /** everything: nodes, edges, strings, locations. */
        FULL,
        /** node ids, types and per-node collection sizes ({@link HeapGraph#slots}) only; edges are streamed past. */
        IDS
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNestingDepth(10_000)
                    .build())
            .build();

    private final Path path;
    private final Mode mode;
    private final long fileSize;
    private final boolean compressed;
    private final HeapGraph g = new HeapGraph();

    // layout from meta
    private int nf = -1, ef = -1;
    private int fType = -1, fName = -1, fId = -1, fSelf = -1, fEdgeCount = -1;
    private int eType = -1, eName = -1, eTo = -1;
    private List<String> locationFields = List.of("object_index", "script_id", "line", "column");
    private long declaredNodes = -1, declaredEdges = -1;

    private int[] nodeEdgeCount;
    private long edgeSum;
    private boolean nodesDone, edgesDone, stringsDone;
    private long maxNameIdx = -1, maxNameOffset = -1;
    private long maxEdgeNameIdx = -1, maxEdgeNameOffset = -1;

    private SnapshotReader(Path path, Mode mode) throws IOException {
        this.path = path;
        this.mode = mode;
        this.fileSize = Files.size(path);
        this.compressed = isGzip(path);
        g.path = path;
    }

    /** Reads {@code path} into a graph. */
    public static HeapGraph read(Path path, Mode mode) {
        requireReadableFile(path);
        try {
            return new SnapshotReader(path, mode).run();
        } catch (java.util.zip.ZipException e) {
            throw new HeapSnapshotException(path, 0, "starts like gzip (1f 8b) but is not a gzip stream this reader can "
                    + "inflate: " + e.getMessage() + " (damaged, or another format with the same first bytes)", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new HeapSnapshotException(path, -1, "permission denied", e);
        } catch (IOException e) {
            throw new HeapSnapshotException(path, -1, "cannot read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    /** A clear error unless {@code path} is a file this process can read: missing, a directory, permission denied. */
    public static void requireReadableFile(Path path) {
        if (Files.isDirectory(path)) {
            throw new HeapSnapshotException(path, -1, "is a directory, not a heap snapshot file");
        }
        if (!Files.exists(path)) {
            throw new HeapSnapshotException(path, -1, "no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw new HeapSnapshotException(path, -1, "not a regular file (a device, pipe or socket?)");
        }
        if (!Files.isReadable(path)) {
            throw new HeapSnapshotException(path, -1, "permission denied");
        }
    }

    private static boolean isGzip(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private HeapGraph run() throws IOException {
        if (fileSize == 0) {
            throw new HeapSnapshotException(path, 0, "empty file: expected a V8 heap snapshot (JSON object)");
        }
        try (Progress progress = Progress.start("reading " + path.getFileName(), fileSize);
             CountingStream raw = new CountingStream(Files.newInputStream(path), progress);
             InputStream in = compressed ? new GZIPInputStream(raw, 1 << 16) : raw) {
            mainStream = raw;
            JsonCursor c = new JsonCursor(in, 1 << 20);
            try {
                parseTop(c, progress);
                if (mode != Mode.FULL && nodesDone && edgesDone && progress.done() < fileSize) {
                    progress.step(fileSize - progress.done()); // the rest (strings…) is not needed: the read is done
                }
            } catch (IOException | RuntimeException e) {
                failed(e);
            }
        }
        finish();
        return g;
    }

    /** A failure while reading: fatal before the nodes, a warning (keep what was read) after. */
    private void failed(Throwable e) throws IOException {
        if (e instanceof JsonCursor.JsonError j) {
            damaged(j.offset, j.getMessage());
        } else if (e instanceof java.io.EOFException) {
            damaged(-1, "unexpected end of file");
        } else if (e instanceof HeapSnapshotException h) {
            if (g.nodeType == null) {
                throw h;
            }
            damaged(h.offset(), h.getMessage().substring(h.getMessage().indexOf(": ") + 2));
        } else if (e instanceof IOException io) {
            throw io;
        } else if (e instanceof RuntimeException re) {
            throw re;
        } else if (e instanceof Error err) {
            throw err;
        }
    }

    private static String cleanMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        return m == null ? e.getClass().getSimpleName() : m.replaceAll("\\s+", " ");
    }

    /** The JSON broke at {@code off}: fatal before the nodes, a warning after. */
    private void damaged(long off, String what) {
        if (g.nodeTypes == null || g.nodeType == null) {
            throw new HeapSnapshotException(path, off, "broken JSON before the nodes array was read: " + what);
        }
        String section = !nodesDone ? "nodes" : !edgesDone ? "edges" : !stringsDone ? "strings" : "trailer";
        g.warn(off, section, "JSON damaged or truncated (" + what + "); keeping what was read before it");
    }

    private void parseTop(JsonCursor c, Progress progress) throws IOException {
        int first = c.peek();
        if (first != '{') {
            throw new HeapSnapshotException(path, c.offset(), "expected '{' starting a V8 heap snapshot, found " + JsonCursor.show(first));
        }
        c.expect('{', "");
        if (c.consume('}')) {
            return;
        }
        members(c, progress);
    }

    /** The top-level members from a key on, until the closing brace. */
    private void members(JsonCursor c, Progress progress) throws IOException {
        while (true) {
            long keyOffset = c.offset();
            if (c.peek() != '"') {
                throw new JsonCursor.JsonError(keyOffset, "expected a key in the top-level object, found " + JsonCursor.show(c.peek()));
            }
            String key = c.readString();
            c.expect(':', "after key \"" + key + "\"");
            switch (key) {
                case "snapshot" -> {
                    long at = c.offset();
                    ByteArrayOutputStream header = new ByteArrayOutputStream();
                    c.skipValue(header);
                    parseSnapshotHeader(header.toByteArray(), at, keyOffset);
                }
                case "nodes" -> {
                    requireArray(c, "nodes");
                    if (nf < 0) {
                        if (c.consume('[') && c.peek() == '{') {
                            throw new HeapSnapshotException(path, keyOffset, "a V8 CPU profile (.cpuprofile: \"nodes\" "
                                    + "holds call-tree objects), not a heap snapshot");
                        }
                        throw new HeapSnapshotException(path, keyOffset,
                                "\"nodes\" before \"snapshot\".meta: cannot know the node layout");
                    }
                    if (mode == Mode.FULL && !compressed) {
                        if (nodesAndRestInParallel(c, c.offset(), progress)) {
                            return;
                        }
                        // the nodes array was not a plain integer array: the loop goes on after it
                    } else {
                        parseNodes(c, progress);
                    }
                }
                case "edges" -> {
                    requireArray(c, "edges");
                    if (!nodesDone && !parallel) {
                        throw new HeapSnapshotException(path, keyOffset, "\"edges\" before \"nodes\"");
                    }
                    if (mode == Mode.FULL) {
                        parseEdgesRaw(c, progress);
                    } else {
                        parseEdges(c, progress);
                        if (nodesDone && edgesDone) {
                            return; // ids and collection sizes are known: the strings and the rest are not needed
                        }
                    }
                }
                case "strings" -> {
                    requireArray(c, "strings");
                    if (mode == Mode.FULL) {
                        parseStrings(c);
                    } else {
                        c.skipValue(null);
                        stringsDone = true;
                    }
                }
                case "locations" -> {
                    requireArray(c, "locations");
                    if (mode == Mode.FULL && nf > 0) {
                        parseLocations(c);
                    } else {
                        c.skipValue(null);
                    }
                }
                case "head" -> throw new HeapSnapshotException(path, keyOffset, "a V8 sampling heap profile "
                        + "(.heapprofile from --heap-prof or DevTools' allocation sampling: \"head\" holds the allocation "
                        + "call tree, no objects), not a heap snapshot: take one with v8.writeHeapSnapshot() or "
                        + "node --heapsnapshot-signal=SIGUSR2");
                default -> c.skipValue(null);
            }
            progress.checkCancelled();
            if (c.consume(',')) {
                continue;
            }
            c.expect('}', "or ',' in the top-level object");
            return;
        }
    }

    private volatile boolean parallel;
    private CountingStream mainStream;

    /** Threads of their own for the second half of a parse (the common pool may be busy reading other snapshots). */
    private static final java.util.concurrent.ExecutorService PARSERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "leakscope-heap-parser");
        t.setDaemon(true);
        return t;
    });

    /**
     * Both cores: this thread reads the nodes array while a second thread finds its closing bracket and, from the
     * byte after it, reads the edges, strings and the rest with a cursor of its own. Edges are validated against the
     * nodes afterwards. Returns false when the nodes array turned out not to be a plain integer array (nothing was
     * read past it then: the caller goes on sequentially).
     */
    private boolean nodesAndRestInParallel(JsonCursor c, long nodesOpen, Progress progress) throws IOException {
        parallel = true;
        java.util.concurrent.CompletableFuture<Object> rest = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                long nodesEnd = arrayEnd(nodesOpen);
                if (nodesEnd < 0) {
                    return Boolean.FALSE;
                }
                if (mainStream != null) {
                    mainStream.stopCountingAt(nodesEnd + 1); // the second stream counts from there on
                }
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path);
                     InputStream in = new CountingStream(java.nio.channels.Channels.newInputStream(ch.position(nodesEnd + 1)), progress)) {
                    JsonCursor c2 = new JsonCursor(in, 1 << 20, nodesEnd + 1);
                    if (c2.consume(',')) {
                        members(c2, progress);
                    } else {
                        c2.expect('}', "or ',' in the top-level object");
                    }
                }
                return Boolean.TRUE;
            } catch (Throwable t) {
                return t;
            }
        }, PARSERS);
        Throwable nodesFailure = null;
        try {
            parseNodes(c, progress);
        } catch (IOException | RuntimeException e) {
            nodesFailure = e;
        }
        Object restResult = rest.join();
        if (restResult == Boolean.FALSE) {
            parallel = false;
            if (nodesFailure instanceof IOException io) {
                throw io;
            } else if (nodesFailure instanceof RuntimeException re) {
                throw re;
            }
            return false;
        }
        if (nodesFailure != null) {
            failed(nodesFailure);
        }
        if (restResult instanceof Throwable t) {
            failed(t);
        }
        return true;
    }

    /** Offset of the ']' closing the integer array that starts at {@code open}, or -1 if it is not a plain one. */
    private long arrayEnd(long open) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 22);
            long pos = open + 1;
            while (true) {
                b.clear();
                int n = ch.read(b, pos);
                if (n <= 0) {
                    return -1;
                }
                byte[] a = b.array();
                int i = 0;
                // eight bytes at a time while they are only digits, commas and newlines: no byte >= '9' + 1 (or
                // non-ASCII), no '"'
                for (; i + 8 <= n; i += 8) {
                    long w = (long) LONGS.get(a, i);
                    long high = ((w + 0x4646464646464646L) | w) & 0x8080808080808080L;
                    long quote = w ^ 0x2222222222222222L;
                    long hasQuote = (quote - 0x0101010101010101L) & ~quote & 0x8080808080808080L;
                    if ((high | hasQuote) != 0) {
                        break;
                    }
                }
                for (; i < n; i++) {
                    byte x = a[i];
                    if (x == ']') {
                        return pos + i;
                    }
                    if (x == '[' || x == '{' || x == '"' || x == '}') {
                        return -1;
                    }
                }
                pos += n;
            }
        }
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private void requireArray(JsonCursor c, String key) throws IOException {
        if (c.peek() != '[') {
            throw new JsonCursor.JsonError(c.offset(), "\"" + key + "\" must be an array, found " + JsonCursor.show(c.peek()));
        }
    }

    private static long tokenOffset(JsonParser p) {
        return p.currentTokenLocation().getByteOffset();
    }

    private static String describe(JsonParser p, JsonToken t) {
        if (t == null) {
            return "end of file";
        }
        try {
            String text = p.getText();
            return t + (text == null ? "" : " '" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'");
        } catch (IOException e) {
            return t.toString();
        }
    }

    // ---- header ----

    @SuppressWarnings("unchecked")
    private void parseSnapshotHeader(byte[] json, long at, long offset) throws IOException {
        Object value;
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            value = readValue(p, at);
        } catch (JsonProcessingException e) {
            long off = e.getLocation() == null ? -1 : at + e.getLocation().getByteOffset();
            throw new HeapSnapshotException(path, off, "broken JSON in \"snapshot\": " + cleanMessage(e));
        }
        if (!(value instanceof Map)) {
            throw new HeapSnapshotException(path, at, "\"snapshot\" must be an object");
        }
        Map<String, Object> snap = (Map<String, Object>) value;
        Object metaObj = snap.get("meta");
        if (!(metaObj instanceof Map)) {
            throw new HeapSnapshotException(path, offset, "snapshot.meta missing: cannot know the node and edge layout");
        }
        Map<String, Object> meta = (Map<String, Object>) metaObj;
        List<String> nodeFields = stringList(meta.get("node_fields"), "snapshot.meta.node_fields", offset);
        List<String> edgeFields = stringList(meta.get("edge_fields"), "snapshot.meta.edge_fields", offset);
        nf = nodeFields.size();
        ef = edgeFields.size();
        fType = nodeFields.indexOf("type");
        fName = nodeFields.indexOf("name");
        fId = nodeFields.indexOf("id");
        fSelf = nodeFields.indexOf("self_size");
        fEdgeCount = nodeFields.indexOf("edge_count");
        List<String> missing = new ArrayList<>();
        for (String f : List.of("type", "name", "id", "self_size", "edge_count")) {
            if (!nodeFields.contains(f)) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            throw new HeapSnapshotException(path, offset, "snapshot.meta.node_fields " + nodeFields + " lacks " + missing);
        }
        eType = edgeFields.indexOf("type");
        eName = edgeFields.indexOf("name_or_index");
        eTo = edgeFields.indexOf("to_node");
        if (eType < 0 || eName < 0 || eTo < 0) {
            throw new HeapSnapshotException(path, offset, "snapshot.meta.edge_fields " + edgeFields
                    + " must contain type, name_or_index and to_node");
        }
        g.nodeFieldCount = nf;
        g.nodeTypes = typeList(meta.get("node_types"), fType, "snapshot.meta.node_types", offset);
        g.edgeTypes = typeList(meta.get("edge_types"), eType, "snapshot.meta.edge_types", offset);
        g.resolveTypeCodes();
        if (meta.get("location_fields") instanceof List<?> lf && !lf.isEmpty()) {
            locationFields = stringList(lf, "snapshot.meta.location_fields", offset);
        }
        declaredNodes = snap.get("node_count") instanceof Number n ? n.longValue() : -1;
        declaredEdges = snap.get("edge_count") instanceof Number n ? n.longValue() : -1;
    }

    private List<String> stringList(Object o, String what, long offset) {
        if (!(o instanceof List<?> l) || l.isEmpty()) {
            throw new HeapSnapshotException(path, offset, what + " missing or empty");
        }
        List<String> out = new ArrayList<>();
        for (Object x : l) {
            if (!(x instanceof String s)) {
                throw new HeapSnapshotException(path, offset, what + " must list strings, found " + x);
            }
            out.add(s);
        }
        return out;
    }

    private String[] typeList(Object o, int field, String what, long offset) {
        if (!(o instanceof List<?> l) || l.size() <= field || !(l.get(field) instanceof List<?>)) {
            throw new HeapSnapshotException(path, offset, what + " missing, or its entry for the type field is not a list of names");
        }
        List<String> names = stringList(l.get(field), what + "[" + field + "]", offset);
        return names.toArray(new String[0]);
    }

    /** A small generic JSON value reader for the header (maps, lists, strings, numbers). */
    private Object readValue(JsonParser p, long at) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, readValue(p, at));
                }
                if (k != JsonToken.END_OBJECT) {
                    throw new HeapSnapshotException(path, at + tokenOffset(p), "broken object in the snapshot header: " + describe(p, k));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == null) {
                        throw new HeapSnapshotException(path, at + tokenOffset(p), "snapshot header ends inside an array");
                    }
                    l.add(readValue(p, at));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return t == JsonToken.VALUE_TRUE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new HeapSnapshotException(path, at + tokenOffset(p), "unexpected " + describe(p, t) + " in the snapshot header");
        }
    }

    // ---- nodes ----

    /** Capacity for {@code declared} records of {@code fields} numbers, clamped by what the file can hold. */
    private int capacity(long declared, int fields) {
        // every number takes at least one digit and one separator
        long bound = compressed ? (1L << 20) : fileSize / (2L * fields) + 1;
        long want = declared > 0 ? Math.min(declared, bound) : Math.min(bound, 1 << 16);
        return (int) Math.max(16, Math.min(want, Integer.MAX_VALUE - 16));
    }

    private void parseNodes(JsonCursor c, Progress progress) throws IOException {
        int cap = capacity(declaredNodes, nf);
        byte[] type = new byte[cap];
        int[] name = mode == Mode.FULL ? new int[cap] : null;
        int[] id = new int[cap];
        int[] self = mode == Mode.FULL ? new int[cap] : null;
        int[] ec = new int[cap];
        // read for ids only, the node arrays go: keep the sample that tells whether snapshots share a process
        it.unimi.dsi.fastutil.longs.LongArrayList sample = mode == Mode.FULL ? null : new it.unimi.dsi.fastutil.longs.LongArrayList();
        int n = 0;
        int f = 0;
        int typeLimit = g.nodeTypes.length;
        int badType = 0;
        long badTypeOffset = -1;
        long rowType = 0, rowName = 0, rowId = 0, rowSelf = 0, rowEc = 0;
        long sum = 0;
        try {
            c.expect('[', "");
            boolean more = !c.consume(']');
            while (more) {
                long v = c.nextInt();
                more = !c.arrayEnded();
                if (f == fType) {
                    rowType = v;
                } else if (f == fName) {
                    rowName = v;
                } else if (f == fId) {
                    rowId = v;
                } else if (f == fSelf) {
                    rowSelf = v;
                } else if (f == fEdgeCount) {
                    rowEc = v;
                }
                if (++f == nf) {
                    f = 0;
                    if (n == type.length) {
                        int nc = grow(n);
                        type = Arrays.copyOf(type, nc);
                        id = Arrays.copyOf(id, nc);
                        ec = Arrays.copyOf(ec, nc);
                        if (name != null) {
                            name = Arrays.copyOf(name, nc);
                            self = Arrays.copyOf(self, nc);
                        }
                    }
                    if (rowType < 0 || rowType >= typeLimit) {
                        if (badType++ == 0) {
                            badTypeOffset = c.numberOffset();
                        }
                        rowType = typeLimit; // "(unknown)"
                    }
                    type[n] = (byte) rowType;
                    id[n] = (int) rowId;
                    if (rowEc < 0 || rowEc > Integer.MAX_VALUE) {
                        g.warn(c.numberOffset(), "nodes", "node " + n + " has edge_count " + rowEc + "; read as 0");
                        rowEc = 0;
                    }
                    ec[n] = (int) rowEc;
                    sum += rowEc;
                    if (sample != null && SameProcess.sampled(rowId)) {
                        sample.add(SameProcess.entry(rowId, (int) rowType, Math.max(0, rowSelf)));
                    }
                    if (name != null) {
                        if (rowName > maxNameIdx) {
                            maxNameIdx = rowName;
                            maxNameOffset = c.numberOffset();
                        }
                        name[n] = rowName < 0 || rowName > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) rowName;
                        if (rowSelf < 0) {
                            g.warn(c.numberOffset(), "nodes", "node " + n + " has self_size " + rowSelf + "; read as 0");
                            rowSelf = 0;
                        }
                        if (rowSelf > Integer.MAX_VALUE) {
                            g.bigSelfSize.put(n, rowSelf);
                            self[n] = -1;
                        } else {
                            self[n] = (int) rowSelf;
                        }
                    }
                    n++;
                    if ((n & 0xfffff) == 0) {
                        progress.checkCancelled();
                    }
                }
            }
            if (f != 0) {
                g.warn(c.numberOffset(), "nodes", "nodes array length is not a multiple of " + nf
                        + " (node_fields): the last " + f + " numbers were ignored");
            }
            nodesDone = true;
        } finally {
            // keep every complete record read, even when the JSON broke inside the array
            if (badType > 0) {
                g.nodeTypes = Arrays.copyOf(g.nodeTypes, typeLimit + 1);
                g.nodeTypes[typeLimit] = "(unknown)";
                g.warn(badTypeOffset, "nodes", badType + " node(s) have a type index outside snapshot.meta.node_types; shown as (unknown)");
            }
            g.nodeCount = n;
            if (sample != null) {
                g.idSample = sample.toLongArray();
            }
            g.nodeType = n == type.length ? type : Arrays.copyOf(type, n);
            g.nodeId = n == id.length ? id : Arrays.copyOf(id, n);
            nodeEdgeCount = n == ec.length ? ec : Arrays.copyOf(ec, n);
            if (name != null) {
                g.nodeName = n == name.length ? name : Arrays.copyOf(name, n);
                g.selfSize = n == self.length ? self : Arrays.copyOf(self, n);
            }
            edgeSum = sum;
            if (declaredNodes >= 0 && declaredNodes != n && nodesDone) {
                g.warn(-1, "snapshot", "snapshot.node_count says " + declaredNodes + " but the nodes array holds " + n + " nodes; using the array");
            }
        }
    }

    private static int grow(int n) {
        long nc = Math.max(16, n + (n >> 1));
        if (n >= Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("more than 2^31 entries in one array");
        }
        return (int) Math.min(nc, Integer.MAX_VALUE - 16);
    }

    // ---- edges ----

    private void parseEdges(JsonCursor c, Progress progress) throws IOException {
        int nodes = g.nodeCount;
        if (edgeSum > Integer.MAX_VALUE - 16) {
            throw new HeapSnapshotException(path, c.numberOffset(), "the nodes' edge_count fields add up to " + edgeSum
                    + " edges, more than this reader supports (2^31)");
        }
        int expected = (int) edgeSum;
        boolean keep = mode == Mode.FULL;
        int cap = keep ? Math.min(expected, capacity(Math.max(declaredEdges, expected), ef)) : 0;
        byte[] type = keep ? new byte[cap] : null;
        int[] name = keep ? new int[cap] : null;
        int[] to = keep ? new int[cap] : null;
        int[] own = keep ? null : new int[nodes];
        int[] maxInternal = keep ? null : new int[nodes];
        int typeLimit = g.edgeTypes.length;
        int n = 0;
        int f = 0;
        long rowType = 0, rowName = 0, rowTo = 0;
        int bad = 0;
        long badOffset = -1;
        String badExample = null;
        int badType = 0;
        long badTypeOffset = -1;
        long extra = 0;
        // the source node of the current edge (IDS mode needs it while streaming)
        int src = 0;
        int left = nodes > 0 ? nodeEdgeCount[0] : 0;
        try {
            c.expect('[', "");
            boolean more = !c.consume(']');
            while (more) {
                long v = c.nextInt();
                more = !c.arrayEnded();
                if (f == eType) {
                    rowType = v;
                } else if (f == eName) {
                    rowName = v;
                } else if (f == eTo) {
                    rowTo = v;
                }
                if (++f < ef) {
                    continue;
                }
                f = 0;
                if (n >= expected) {
                    extra++;
                    continue;
                }
                int target;
                long q = nodeOf(rowTo);
                if (q < 0 || q >= nodes) {
                    if (bad++ == 0) {
                        badOffset = c.numberOffset();
                        badExample = "edge " + n + " points to nodes offset " + rowTo;
                    }
                    target = -1;
                } else {
                    target = (int) q;
                }
                if (rowType < 0 || rowType >= typeLimit) {
                    if (badType++ == 0) {
                        badTypeOffset = c.numberOffset();
                    }
                    rowType = typeLimit;
                }
                if (keep) {
                    if (n == type.length) {
                        int nc = Math.min(expected, grow(n));
                        type = Arrays.copyOf(type, nc);
                        name = Arrays.copyOf(name, nc);
                        to = Arrays.copyOf(to, nc);
                    }
                    type[n] = (byte) rowType;
                    int nm = rowName < 0 || rowName > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) rowName;
                    name[n] = nm;
                    to[n] = target;
                    if (rowType != g.etElement && rowType != g.etHidden && rowName > maxEdgeNameIdx) {
                        maxEdgeNameIdx = rowName;
                        maxEdgeNameOffset = c.numberOffset();
                    }
                } else {
                    while (left == 0 && src < nodes - 1) {
                        left = nodeEdgeCount[++src];
                    }
                    left--;
                    if (target >= 0) {
                        if (rowType == g.etElement || rowType == g.etProperty) {
                            own[src]++;
                        } else if (rowType == g.etInternal) {
                            int cnt = nodeEdgeCount[target];
                            if (cnt > maxInternal[src]) {
                                maxInternal[src] = cnt;
                            }
                        }
                    }
                }
                n++;
                if ((n & 0xfffff) == 0) {
                    progress.checkCancelled();
                }
            }
            if (f != 0) {
                g.warn(c.numberOffset(), "edges", "edges array length is not a multiple of " + ef + " (edge_fields): the last " + f + " numbers were ignored");
            }
            edgesDone = true;
        } finally {
            if (badType > 0) {
                g.edgeTypes = Arrays.copyOf(g.edgeTypes, typeLimit + 1);
                g.edgeTypes[typeLimit] = "(unknown)";
                g.warn(badTypeOffset, "edges", badType + " edge(s) have a type index outside snapshot.meta.edge_types; shown as (unknown)");
            }
            if (bad > 0) {
                g.warn(badOffset, "edges", bad + " edge(s) point outside the nodes array or between node records (first: "
                        + badExample + ", nodes array has " + nodes + " nodes of " + nf + " fields); they were dropped");
            }
            if (extra > 0) {
                g.warn(-1, "edges", "the edges array holds " + extra + " more edges than the nodes' edge_count fields add up to ("
                        + expected + "); the extra edges were ignored");
            }
            if (n < expected && edgesDone) {
                g.warn(-1, "edges", "the nodes' edge_count fields add up to " + expected + " edges but the edges array holds only "
                        + n + "; the last nodes lose their edges");
            }
            if (declaredEdges >= 0 && declaredEdges != expected && edgesDone) {
                g.warn(-1, "snapshot", "snapshot.edge_count says " + declaredEdges + " but the nodes' edge_count fields add up to "
                        + expected + "; using the arrays");
            }
            buildFirstEdge(n);
            if (keep) {
                g.edgeCount = n;
                g.edgeType = n == type.length ? type : Arrays.copyOf(type, n);
                g.edgeName = n == name.length ? name : Arrays.copyOf(name, n);
                g.edgeTo = n == to.length ? to : Arrays.copyOf(to, n);
                if (bad > 0) {
                    dropBadEdges();
                }
            } else {
                g.edgeCount = n;
                int[] slots = own;
                for (int i = 0; i < nodes; i++) {
                    slots[i] += maxInternal[i];
                }
                g.slots = slots;
            }
        }
    }

    // FULL mode: edges as read, validated against the nodes in finish() (the nodes may be read concurrently)
    private byte[] rawType;
    private int[] rawName;
    private int[] rawTo;
    private int rawCount;
    private int rawBad;
    private long rawBadOffset = -1;
    private String rawBadExample;
    private long maxTarget = -1, maxTargetOffset = -1;
    private long rawExtraValues;

    /**
     * The node index a {@code to_node} value points at, or -1 when it is negative or not at a record start. The
     * common layouts (6 and 7 node fields) divide by a constant, which the JIT turns into a multiplication.
     */
    private long nodeOf(long to) {
        if (to < 0) {
            return -1;
        }
        long q = switch (nf) {
            case 7 -> to / 7;
            case 6 -> to / 6;
            default -> to / nf;
        };
        return q * nf == to ? q : -1;
    }

    private void parseEdgesRaw(JsonCursor c, Progress progress) throws IOException {
        int cap = capacity(declaredEdges, ef);
        byte[] type = new byte[cap];
        int[] name = new int[cap];
        int[] to = new int[cap];
        int typeLimit = g.edgeTypes.length;
        int n = 0, f = 0;
        long rowType = 0, rowName = 0, rowTo = 0;
        int badType = 0;
        long badTypeOffset = -1;
        try {
            c.expect('[', "");
            boolean more = !c.consume(']');
            while (more) {
                long v = c.nextInt();
                more = !c.arrayEnded();
                if (f == eType) {
                    rowType = v;
                } else if (f == eName) {
                    rowName = v;
                } else if (f == eTo) {
                    rowTo = v;
                }
                if (++f < ef) {
                    continue;
                }
                f = 0;
                if (n == type.length) {
                    int nc = grow(n);
                    type = Arrays.copyOf(type, nc);
                    name = Arrays.copyOf(name, nc);
                    to = Arrays.copyOf(to, nc);
                }
                if (rowType < 0 || rowType >= typeLimit) {
                    if (badType++ == 0) {
                        badTypeOffset = c.numberOffset();
                    }
                    rowType = typeLimit;
                }
                type[n] = (byte) rowType;
                name[n] = rowName < 0 || rowName > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) rowName;
                if (rowType != g.etElement && rowType != g.etHidden && rowName > maxEdgeNameIdx) {
                    maxEdgeNameIdx = rowName;
                    maxEdgeNameOffset = c.numberOffset();
                }
                long q = nodeOf(rowTo);
                if (q < 0 || q > Integer.MAX_VALUE - 16) {
                    if (rawBad++ == 0) {
                        rawBadOffset = c.numberOffset();
                        rawBadExample = "edge " + n + " points to nodes offset " + rowTo;
                    }
                    to[n] = -1;
                } else {
                    int t = (int) q;
                    to[n] = t;
                    if (t > maxTarget) {
                        maxTarget = t;
                        maxTargetOffset = c.numberOffset();
                    }
                }
                n++;
                if ((n & 0xfffff) == 0) {
                    progress.checkCancelled();
                }
            }
            rawExtraValues = f;
            edgesDone = true;
        } finally {
            if (badType > 0) {
                g.edgeTypes = Arrays.copyOf(g.edgeTypes, typeLimit + 1);
                g.edgeTypes[typeLimit] = "(unknown)";
                g.warn(badTypeOffset, "edges", badType + " edge(s) have a type index outside snapshot.meta.edge_types; shown as (unknown)");
            }
            rawType = type;
            rawName = name;
            rawTo = to;
            rawCount = n;
        }
    }

    /** Checks the edges read against the nodes: targets in range, counts agreeing; builds the prefix sums. */
    private void validateEdges() {
        int nodes = g.nodeCount;
        int n = rawCount;
        int[] to = rawTo;
        int bad = rawBad;
        String example = rawBadExample;
        long badOffset = rawBadOffset;
        if (maxTarget >= nodes) {
            for (int k = 0; k < n; k++) {
                if (to[k] >= nodes) {
                    if (bad++ == 0 || example == null) {
                        example = "edge " + k + " points to nodes offset " + (long) to[k] * nf;
                        badOffset = maxTargetOffset;
                    }
                    to[k] = -1;
                }
            }
            if (badOffset < 0) {
                badOffset = maxTargetOffset;
            }
        }
        if (rawExtraValues != 0) {
            g.warn(-1, "edges", "edges array length is not a multiple of " + ef + " (edge_fields): the last " + rawExtraValues + " numbers were ignored");
        }
        if (bad > 0) {
            g.warn(badOffset, "edges", bad + " edge(s) point outside the nodes array or between node records (first: "
                    + example + ", nodes array has " + nodes + " nodes of " + nf + " fields); they were dropped");
        }
        long expected = edgeSum;
        if (expected > Integer.MAX_VALUE - 16) {
            throw new HeapSnapshotException(path, -1, "the nodes' edge_count fields add up to " + expected
                    + " edges, more than this reader supports (2^31)");
        }
        if (n > expected) {
            g.warn(-1, "edges", "the edges array holds " + (n - expected) + " more edges than the nodes' edge_count fields add up to ("
                    + expected + "); the extra edges were ignored");
            n = (int) expected;
        }
        if (n < expected && edgesDone) {
            g.warn(-1, "edges", "the nodes' edge_count fields add up to " + expected + " edges but the edges array holds only "
                    + n + "; the last nodes lose their edges");
        }
        if (declaredEdges >= 0 && declaredEdges != expected && edgesDone) {
            g.warn(-1, "snapshot", "snapshot.edge_count says " + declaredEdges + " but the nodes' edge_count fields add up to "
                    + expected + "; using the arrays");
        }
        buildFirstEdge(n);
        g.edgeCount = n;
        g.edgeType = n == rawType.length ? rawType : Arrays.copyOf(rawType, n);
        g.edgeName = n == rawName.length ? rawName : Arrays.copyOf(rawName, n);
        g.edgeTo = n == to.length ? to : Arrays.copyOf(to, n);
        rawType = null;
        rawName = null;
        rawTo = null;
        boolean anyBad = bad > 0;
        if (!anyBad) {
            return;
        }
        dropBadEdges();
    }

    /** Prefix sums of edge counts, clamped to the {@code available} edges actually read. */
    private void buildFirstEdge(int available) {
        int nodes = g.nodeCount;
        int[] first = new int[nodes + 1];
        long s = 0;
        for (int i = 0; i < nodes; i++) {
            first[i] = (int) Math.min(s, available);
            s += nodeEdgeCount[i];
        }
        first[nodes] = (int) Math.min(s, available);
        g.firstEdge = first;
        if (mode == Mode.FULL) {
            nodeEdgeCount = null;
        }
    }

    private void dropBadEdges() {
        int[] first = g.firstEdge;
        int w = 0;
        for (int i = 0; i < g.nodeCount; i++) {
            int from = first[i], to = first[i + 1];
            first[i] = w;
            for (int e = from; e < to; e++) {
                if (g.edgeTo[e] >= 0) {
                    g.edgeType[w] = g.edgeType[e];
                    g.edgeName[w] = g.edgeName[e];
                    g.edgeTo[w] = g.edgeTo[e];
                    w++;
                }
            }
        }
        first[g.nodeCount] = w;
        g.edgeCount = w;
        g.edgeType = Arrays.copyOf(g.edgeType, w);
        g.edgeName = Arrays.copyOf(g.edgeName, w);
        g.edgeTo = Arrays.copyOf(g.edgeTo, w);
    }

    // ---- strings and locations ----

    private void parseStrings(JsonCursor c) throws IOException {
        StringTable out = new StringTable(1 << 16);
        try {
            c.expect('[', "");
            if (!c.consume(']')) {
                while (true) {
                    if (c.peek() != '"') {
                        throw new JsonCursor.JsonError(c.offset(), "strings: expected a string, found " + JsonCursor.show(c.peek()));
                    }
                    c.readStringInto(out);
                    if (c.consume(',')) {
                        continue;
                    }
                    c.expect(']', "or ',' in strings");
                    break;
                }
            }
            stringsDone = true;
        } finally {
            g.strings = out.trim();
        }
    }

    private void parseLocations(JsonCursor c) throws IOException {
        int lf = locationFields.size();
        int fObj = locationFields.indexOf("object_index");
        int fScript = locationFields.indexOf("script_id");
        int fLine = locationFields.indexOf("line");
        int fCol = locationFields.indexOf("column");
        int[] row = new int[lf];
        int[] out = new int[1024];
        int n = 0, f = 0, bad = 0;
        c.expect('[', "");
        boolean more = !c.consume(']');
        while (more) {
            row[f] = (int) c.nextInt();
            more = !c.arrayEnded();
            if (++f == lf) {
                f = 0;
                int obj = fObj >= 0 ? row[fObj] : -1;
                if (obj < 0 || obj % nf != 0) {
                    bad++;
                    continue;
                }
                if (n + 4 > out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = obj / nf;
                out[n++] = fScript >= 0 ? row[fScript] : -1;
                out[n++] = fLine >= 0 ? row[fLine] : -1;
                out[n++] = fCol >= 0 ? row[fCol] : -1;
            }
        }
        locationsBad = bad;
        g.locations = Arrays.copyOf(out, n);
    }

    private int locationsBad;

    private void checkLocations() {
        int bad = locationsBad;
        int[] l = g.locations;
        int w = 0;
        for (int i = 0; i + 3 < l.length; i += 4) {
            if (l[i] >= g.nodeCount) {
                bad++;
                continue;
            }
            System.arraycopy(l, i, l, w, 4);
            w += 4;
        }
        if (w != l.length) {
            g.locations = Arrays.copyOf(l, w);
        }
        if (bad > 0) {
            g.warn(-1, "locations", bad + " location(s) name an object outside the nodes array; ignored");
        }
    }

    // ---- after the stream ----

    private void finish() {
        if (g.nodeType == null) {
            throw new HeapSnapshotException(path, -1, "no \"nodes\" array: not a V8 heap snapshot");
        }
        if (mode == Mode.FULL && rawTo != null) {
            validateEdges();
        }
        if (mode == Mode.FULL) {
            checkLocations();
        }
        if (g.firstEdge == null) {
            g.warn(-1, "edges", "no \"edges\" array; the graph has nodes only (retained sizes = self sizes)");
            g.edgeCount = 0;
            nodeEdgeCount = new int[g.nodeCount];
            buildFirstEdge(0);
            if (mode == Mode.FULL) {
                g.edgeType = new byte[0];
                g.edgeName = new int[0];
                g.edgeTo = new int[0];
            } else {
                g.slots = new int[g.nodeCount];
            }
        }
        if (mode != Mode.FULL) {
            // only ids, kinds and collection sizes are kept: index the ids and let the rest go
            g.strings = StringTable.of();
            g.firstEdge = null;
            g.keepIdsAndSlotsOnly(); // queries over an IDS graph use ids() and slotsOfId() only
            return;
        }
        if (g.strings == null) {
            g.warn(-1, "strings", "no \"strings\" array; names are shown as (missing string #N)");
            g.strings = StringTable.of();
        }
        int s = g.strings.size();
        if (maxNameIdx >= s) {
            int bad = 0;
            for (int i = 0; i < g.nodeCount; i++) {
                if (g.nodeName[i] >= s) {
                    bad++;
                }
            }
            g.warn(maxNameOffset, "nodes", bad + " node name(s) index past the strings array (" + s
                    + " strings; largest index " + maxNameIdx + "); shown as (missing string #N)");
        }
        if (maxEdgeNameIdx >= s) {
            g.warn(maxEdgeNameOffset, "edges", "edge names index past the strings array (" + s + " strings; largest index "
                    + maxEdgeNameIdx + "); shown as (missing string #N)");
        }
        if (g.nodeCount > 0 && g.nodeCount < 2) {
            g.warn(-1, "nodes", "fewer than 2 nodes: no (GC roots)");
        }
    }

    /** Counts the raw (compressed) bytes read, for progress; bytes past {@link #stopCountingAt} are not counted. */
    private static final class CountingStream extends FilterInputStream {
        private final Progress progress;
        private long read;
        private long stopCountingAt = Long.MAX_VALUE;

        CountingStream(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        private synchronized void count(long n) {
            long before = read;
            read += n;
            long counted = Math.min(read, stopCountingAt) - Math.min(before, stopCountingAt);
            if (counted > 0) {
                progress.step(counted);
            }
        }

        /** Bytes from {@code end} on are another stream's to count: takes back any already counted here. */
        synchronized void stopCountingAt(long end) {
            if (read > end) {
                progress.step(-(Math.min(read, stopCountingAt) - end));
            }
            stopCountingAt = end;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }
    }
}
