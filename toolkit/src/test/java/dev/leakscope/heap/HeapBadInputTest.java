package dev.leakscope.heap;

import dev.leakscope.Heap;
import dev.leakscope.HeapSnapshotException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Damaged copies of a real snapshot: each gives a clear error naming the byte offset, or what can be read plus
 * warnings — never a hang, an OOM or a silent wrong count.
 */
class HeapBadInputTest {

    @TempDir
    static Path tmp;
    static String json;
    static Heap good;

    @AfterAll
    static void flushCache() {
        IndexCache.awaitWrites(); // background cache saves finish before the temporary cache folder goes
    }

    @BeforeAll
    static void load() throws IOException {
        System.setProperty("leakscope.cache", tmp.resolve("cache").toString());
        Path s3 = HeapFixtures.leakDir().resolve("s3.heapsnapshot");
        json = Files.readString(s3, StandardCharsets.ISO_8859_1);
        good = Heap.open(s3);
    }

    private static Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.ISO_8859_1);
        return p;
    }

    private static Table warnings(Heap h) {
        return h.warnings();
    }

    private static String allWarnings(Heap h) {
        return String.join("\n", warnings(h).stringColumn("message").asList());
    }

    @Test
    void notASnapshotFileSaysWhatItIs() throws Exception {
        assertThatThrownBy(() -> Heap.open(tmp)).isInstanceOf(HeapSnapshotException.class)
                .hasMessageContaining(tmp.toString()).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> Heap.open(tmp.resolve("missing.heapsnapshot"))).hasMessageContaining("no such file");
        // gzip's magic bytes, then not a gzip stream
        Path fake = tmp.resolve("fake.heapsnapshot.gz");
        Files.write(fake, new byte[] {0x1f, (byte) 0x8b, 0x01, 0x00, 'n', 'o', 't', ' ', 'g', 'z', 'i', 'p'});
        assertThatThrownBy(() -> Heap.open(fake)).isInstanceOf(HeapSnapshotException.class)
                .hasMessageContaining(fake.toString()).hasMessageContaining("0x0").hasMessageContaining("starts like gzip");
        // a real CPU profile from node --cpu-prof
        Path dir = Files.createDirectories(tmp.resolve("cpuprof"));
        Process p = new ProcessBuilder("node", "--cpu-prof", "--cpu-prof-dir", dir.toString(), "-e",
                "let x = 0; for (let i = 0; i < 1e6; i++) x += i;").redirectErrorStream(true).start();
        assertThat(p.waitFor()).isZero();
        Path profile;
        try (var files = Files.list(dir)) {
            profile = files.filter(f -> f.toString().endsWith(".cpuprofile")).findFirst().orElseThrow();
        }
        assertThatThrownBy(() -> Heap.open(profile)).isInstanceOf(HeapSnapshotException.class)
                .hasMessageContaining(profile.toString()).hasMessageContaining("CPU profile");
        // the command line: a file it cannot read is exit 1, bad usage exit 2
        assertThat(dev.leakscope.cli.Main.run("heap", profile.toString())).isEqualTo(1);
    }

    @Test
    void aSamplingHeapProfileSaysWhatItIs(@TempDir Path tmp) throws Exception {
        // a real sampling heap profile from node --heap-prof: the other "heap" file users have, easy to pick by mistake
        Path dir = Files.createDirectories(tmp.resolve("heapprof"));
        Process p = new ProcessBuilder("node", "--heap-prof", "--heap-prof-dir", dir.toString(), "-e",
                "const a = []; for (let i = 0; i < 2e5; i++) a.push({ i }); globalThis.keep = a;").redirectErrorStream(true).start();
        assertThat(p.waitFor()).isZero();
        Path profile;
        try (var files = Files.list(dir)) {
            profile = files.filter(f -> f.toString().endsWith(".heapprofile")).findFirst().orElseThrow();
        }
        assertThatThrownBy(() -> Heap.open(profile)).isInstanceOf(HeapSnapshotException.class)
                .hasMessageContaining(profile.toString()).hasMessageContaining("sampling heap profile")
                .hasMessageContaining("writeHeapSnapshot");
        assertThat(dev.leakscope.cli.Main.run("heap", profile.toString())).isEqualTo(1);
    }

    @Test
    void progressOfAReadEndsAtTheFileSize() {
        Path s3 = HeapFixtures.leakDir().resolve("s3.heapsnapshot");
        java.util.List<long[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.leakscope.Progress.Listener before = dev.leakscope.Progress.listener();
        dev.leakscope.Progress.setListener(new dev.leakscope.Progress.Listener() {
            public void started(dev.leakscope.Progress p) { }
            public void updated(dev.leakscope.Progress p) { }
            public void finished(dev.leakscope.Progress p) {
                if (p.task().startsWith("reading")) {
                    seen.add(new long[] {p.done(), p.total()});
                }
            }
        });
        try {
            SnapshotReader.read(s3, SnapshotReader.Mode.FULL); // the parallel path: nodes here, the rest on a second stream
            SnapshotReader.read(s3, SnapshotReader.Mode.IDS); // what leaks() reads of baseline and target
        } finally {
            dev.leakscope.Progress.setListener(before);
        }
        assertThat(seen).hasSize(2);
        for (long[] doneAndTotal : seen) {
            assertThat(doneAndTotal[0]).as("bytes counted").isLessThanOrEqualTo(doneAndTotal[1]);
        }
        assertThat(seen.get(0)[0]).as("bytes counted").isEqualTo(seen.get(0)[1]);
        // an ids-only read stops after the edges (the strings are not needed): done, so its bar ends full, not at 92 %
        assertThat(seen.get(1)[0]).as("ids-only read ends at the file size").isEqualTo(seen.get(1)[1]);
    }

    @Test
    void truncatedInTheEdgesKeepsTheNodesAndWarns() throws IOException {
        int edges = json.indexOf("\"edges\":[");
        Heap h = Heap.open(write("cut-edges.heapsnapshot", json.substring(0, edges + 5000)));
        assertThat(h.nodeCount()).isEqualTo(good.nodeCount());
        assertThat(h.edgeCount()).isPositive().isLessThan(good.edgeCount());
        Table w = warnings(h);
        assertThat(w.stringColumn("structure").asList()).contains("edges");
        String off = w.where(w.stringColumn("structure").isEqualTo("edges")).stringColumn("offset").get(0);
        assertThat(Long.decode(off)).isEqualTo(edges + 5000L);
        assertThat(allWarnings(h)).contains("truncated").contains("no \"strings\" array");
        assertThat(h.summary().rowCount()).isPositive(); // still usable
    }

    @Test
    void truncatedInTheHeaderIsAnErrorWithTheOffset() throws IOException {
        Path p = write("cut-header.heapsnapshot", json.substring(0, 300));
        assertThatThrownBy(() -> Heap.open(p)).isInstanceOf(HeapSnapshotException.class)
                .hasMessageContaining("cut-header.heapsnapshot at 0x12c")
                .hasMessageContaining("before the nodes array");
    }

    @Test
    void missingOrWrongMetaIsAnError() throws IOException {
        Path noMeta = write("no-meta.heapsnapshot", json.replaceFirst("\"meta\":", "\"mexa\":"));
        assertThatThrownBy(() -> Heap.open(noMeta)).isInstanceOf(HeapSnapshotException.class)
                .hasMessageContaining("snapshot.meta missing");
        Path noId = write("no-id.heapsnapshot", json.replaceFirst("\"node_fields\":\\[\"type\",\"name\",\"id\"", "\"node_fields\":[\"type\",\"name\",\"idx\""));
        assertThatThrownBy(() -> Heap.open(noId)).isInstanceOf(HeapSnapshotException.class)
                .hasMessageContaining("lacks [id]").hasMessageContaining("at 0x");
        Path noEdgeFields = write("no-edge-fields.heapsnapshot", json.replaceFirst("\"edge_fields\":\\[\"type\",\"name_or_index\",\"to_node\"\\]", "\"edge_fields\":[\"type\",\"name_or_index\"]"));
        assertThatThrownBy(() -> Heap.open(noEdgeFields)).isInstanceOf(HeapSnapshotException.class)
                .hasMessageContaining("to_node");
    }

    @Test
    void lyingCountsDoNotAllocateAndAreReported() throws IOException {
        String lie = json.replaceFirst("\"node_count\":\\d+", "\"node_count\":2000000000")
                .replaceFirst("\"edge_count\":\\d+", "\"edge_count\":2100000000");
        // 2e9 declared nodes would be 8 GB per int array; the file size bounds the allocation instead
        Heap h = Heap.open(write("lying-counts.heapsnapshot", lie));
        assertThat(h.nodeCount()).isEqualTo(good.nodeCount());
        assertThat(h.edgeCount()).isEqualTo(good.edgeCount());
        assertThat(allWarnings(h)).contains("node_count says 2000000000").contains("edge_count says 2100000000");
        assertThat(h.summary().toString()).isEqualTo(good.summary().toString());
    }

    @Test
    void edgeCountsThatDisagreeWithTheEdgesArray() throws IOException {
        // the root claims 5 more edges than it has: the edges array is 5 short of the sum
        Matcher m = Pattern.compile("\"nodes\":\\[(\\d+),(\\d+),(\\d+),(\\d+),(\\d+),").matcher(json);
        assertThat(m.find()).isTrue();
        int rootEdges = Integer.parseInt(m.group(5));
        String bad = json.substring(0, m.start(5)) + (rootEdges + 5) + json.substring(m.end(5));
        Heap h = Heap.open(write("edge-sum.heapsnapshot", bad));
        assertThat(allWarnings(h)).contains("but the edges array holds only");
        assertThat(h.edgeCount()).isEqualTo(good.edgeCount());
    }

    @Test
    void edgesOutsideTheNodesAreDroppedWithAWarning() throws IOException {
        Matcher m = Pattern.compile("\"edges\":\\[(\\d+),(\\d+),(\\d+)").matcher(json);
        assertThat(m.find()).isTrue();
        String bad = json.substring(0, m.start(3)) + "999999999" + json.substring(m.end(3));
        Heap h = Heap.open(write("edge-outside.heapsnapshot", bad));
        assertThat(h.edgeCount()).isEqualTo(good.edgeCount() - 1);
        Table w = warnings(h);
        assertThat(allWarnings(h)).contains("point outside the nodes array").contains("999999999");
        String off = w.where(w.stringColumn("structure").isEqualTo("edges")).stringColumn("offset").get(0);
        assertThat(Long.decode(off)).isBetween((long) m.start(3), (long) m.end(3) + 2);
    }

    @Test
    void stringIndexOutOfRange() throws IOException {
        Matcher m = Pattern.compile("\"nodes\":\\[(\\d+),(\\d+),").matcher(json);
        assertThat(m.find()).isTrue();
        String bad = json.substring(0, m.start(2)) + "99999999" + json.substring(m.end(2));
        Heap h = Heap.open(write("bad-string.heapsnapshot", bad));
        assertThat(allWarnings(h)).contains("index past the strings array").contains("99999999");
        assertThat(h.nodeCount()).isEqualTo(good.nodeCount());
    }

    @Test
    void offsetsPastTwoGigabytes() throws IOException {
        // 2.1 GiB of JSON whitespace before "nodes" (gzip keeps the file small): every offset after it is > 2^31
        int nodes = json.indexOf("\"nodes\":[");
        int edges = json.indexOf("\"edges\":[");
        long pad = 2100L << 20;
        Path gz = tmp.resolve("padded.heapsnapshot.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz), 1 << 16) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_SPEED);
            }
        }) {
            out.write(json.substring(0, nodes).getBytes(StandardCharsets.ISO_8859_1));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (long w = 0; w < pad; w += spaces.length) {
                out.write(spaces);
            }
            out.write(json.substring(nodes, edges + 5000).getBytes(StandardCharsets.ISO_8859_1));
        }
        Heap h = Heap.open(gz);
        assertThat(h.nodeCount()).isEqualTo(good.nodeCount());
        Table w = warnings(h);
        String off = w.where(w.stringColumn("structure").isEqualTo("edges")).stringColumn("offset").get(0);
        assertThat(Long.decode(off)).isEqualTo(pad + edges + 5000L).isGreaterThan(Integer.MAX_VALUE);
    }

    @Test
    void notJsonOrEmpty() throws IOException {
        Path text = write("text.heapsnapshot", "hello, world\n");
        assertThatThrownBy(() -> Heap.open(text)).isInstanceOf(HeapSnapshotException.class)
                .hasMessageContaining("at 0x0").hasMessageContaining("expected '{'");
        Path empty = write("empty.heapsnapshot", "");
        assertThatThrownBy(() -> Heap.open(empty)).isInstanceOf(HeapSnapshotException.class).hasMessageContaining("empty file");
        Path notNumber = write("fraction.heapsnapshot", json.replaceFirst("\"nodes\":\\[(\\d+),", "\"nodes\":[$1.5,"));
        Heap h = Heap.open(notNumber);
        assertThat(allWarnings(h)).contains("fraction");
        assertThat(h.nodeCount()).isZero();
    }
}
