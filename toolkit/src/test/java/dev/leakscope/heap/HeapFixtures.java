package dev.leakscope.heap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.leakscope.testing.Artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real snapshots of the example app (made once per run) and the independent node scripts that check them. */
final class HeapFixtures {

    private HeapFixtures() {
    }

    /** s3, s6, s9 .heapsnapshot of orders-service in leak mode. */
    static Path leakDir() {
        return Artifacts.get("heap-leak", "snapshots", "OUT", "--mode", "leak", "--at", "3,6,9");
    }

    /** The same in healthy mode. */
    static Path healthyDir() {
        return Artifacts.get("heap-healthy", "snapshots", "OUT", "--mode", "healthy", "--at", "3,6,9");
    }

    static Path script(String name) {
        return Artifacts.root().resolve("toolkit/src/test/resources/heap").resolve(name);
    }

    /** Runs node with a test script; returns its stdout. */
    static String node(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", "--max-old-space-size=4096", script(script).toString()));
        cmd.addAll(List.of(args));
        Path outFile = Files.createTempFile("heap-node", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(outFile.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("node timed out: " + cmd);
            }
            String out = Files.readString(outFile, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("node failed: " + cmd + "\n" + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(outFile);
        }
    }

    /** Ids of objects named {@code cls}, by the independent script. */
    static java.util.Set<Long> idsOf(Path snapshot, String cls) throws IOException, InterruptedException {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (String line : node("ids-of-class.js", snapshot.toString(), cls).split("\n")) {
            if (!line.isBlank()) {
                ids.add(Long.parseLong(line.trim()));
            }
        }
        return ids;
    }

    /** What {@code independent-count.js} wrote: nodeCount, edgeCount, classes (name → {count, shallowSize}), retained, idom. */
    static Map<String, Object> readIndependent(Path independent) throws IOException {
        // a few MB of JSON: read the parts we need with the streaming parser (a tree would do as well)
        Map<String, Object> out = new HashMap<>();
        JsonFactory f = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build()).build();
        try (InputStream in = Files.newInputStream(independent); JsonParser p = f.createParser(in)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                switch (k) {
                    case "nodeCount", "edgeCount", "stringCount", "rounds" -> out.put(k, p.getLongValue());
                    case "retained", "idom" -> {
                        java.util.List<Long> l = new java.util.ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            l.add(p.getValueAsLong());
                        }
                        out.put(k, l);
                    }
                    case "classes" -> {
                        Map<String, long[]> c = new HashMap<>();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            p.nextToken();
                            long[] v = new long[2];
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f2 = p.currentName();
                                p.nextToken();
                                v[f2.equals("count") ? 0 : 1] = p.getLongValue();
                            }
                            c.put(name, v);
                        }
                        out.put(k, c);
                    }
                    default -> p.skipChildren();
                }
            }
        }
        return out;
    }

    /** Node and edge counts, and every summary row's count and shallow size, equal the independent script's. */
    @SuppressWarnings("unchecked")
    static void assertSummaryMatches(dev.leakscope.Heap heap, Map<String, Object> independent) {
        assertThat((long) heap.nodeCount()).isEqualTo(independent.get("nodeCount"));
        assertThat((long) heap.edgeCount()).isEqualTo(independent.get("edgeCount"));
        Map<String, long[]> classes = (Map<String, long[]>) independent.get("classes");
        tech.tablesaw.api.Table s = heap.summary();
        assertThat(s.rowCount()).isEqualTo(classes.size());
        for (int r = 0; r < s.rowCount(); r++) {
            String c = s.stringColumn("constructor").get(r);
            assertThat(classes).containsKey(c);
            assertThat(s.longColumn("count").get(r)).as("count of %s", c).isEqualTo(classes.get(c)[0]);
            assertThat(s.longColumn("shallowSize").get(r)).as("shallowSize of %s", c).isEqualTo(classes.get(c)[1]);
        }
    }
}
