package dev.leakscope.heap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakscope.Heap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small hand-made snapshot whose values leave int range: node ids above 2^31, self sizes and retained sizes
 * above 2^31 (a chain of 1.5 GB + 1.5 GB + 3 GB objects), and strings that are non-ASCII, escaped, surrogate
 * pairs and lone surrogates — read, indexed, cached and read back from the cache.
 */
class HeapLargeValuesTest {

    @TempDir
    static Path tmp;
    static Path file;

    static final String STRINGS = "[\"\",\"(GC roots)\",\"Big\",\"é ü\",\"日本語\",\"\\ud83d\\ude00 emoji\",\"\\ud800 lone\","
            + "\"ascii \\\"q\\\" \\\\ back\",\"a\",\"\\u00e9 escaped\",\"😀 raw\"]";

    @AfterAll
    static void flushCache() {
        IndexCache.awaitWrites();
    }

    @BeforeAll
    static void write() throws IOException {
        System.setProperty("leakscope.cache", tmp.resolve("cache").toString());
        String json = "{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\",\"name\",\"id\",\"self_size\",\"edge_count\",\"trace_node_id\"],"
                + "\"node_types\":[[\"hidden\",\"array\",\"string\",\"object\",\"code\",\"closure\",\"regexp\",\"number\",\"native\","
                + "\"synthetic\",\"concatenated string\",\"sliced string\",\"symbol\",\"bigint\",\"object shape\"],\"string\",\"number\",\"number\",\"number\",\"number\"],"
                + "\"edge_fields\":[\"type\",\"name_or_index\",\"to_node\"],"
                + "\"edge_types\":[[\"context\",\"element\",\"property\",\"internal\",\"hidden\",\"shortcut\",\"weak\"],\"string_or_number\",\"node\"]},"
                + "\"node_count\":5,\"edge_count\":4},\n"
                + "\"nodes\":[9,0,1,0,2,0,\n3,2,4000000001,1500000000,1,0,\n3,2,3,1500000000,1,0,\n3,3,5,3000000000,0,0,\n2,4,7,20,0,0],\n"
                + "\"edges\":[1,0,6,2,5,24,\n2,8,12,\n2,6,18],\n"
                + "\"strings\":" + STRINGS + "}";
        file = tmp.resolve("large.heapsnapshot");
        Files.writeString(file, json, StandardCharsets.UTF_8);
    }

    private static void check(Heap h) throws IOException {
        Snapshot m = h.model();
        // strings equal what an independent JSON parser (jackson-databind) reads
        JsonNode strings = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8)).get("strings");
        assertThat(m.g.strings.size()).isEqualTo(strings.size());
        for (int i = 0; i < strings.size(); i++) {
            assertThat(m.g.strings.get(i)).as("string %d", i).isEqualTo(strings.get(i).textValue());
        }
        assertThat(m.g.strings.get(6).charAt(0)).isEqualTo('\ud800');
        // ids and sizes past 2^31, retained sizes summed along the chain
        assertThat(m.g.id(1)).isEqualTo(4_000_000_001L);
        assertThat(h.info().longColumn("totalSize").get(0)).isEqualTo(6_000_000_020L);
        assertThat(m.x.retained(3)).isEqualTo(3_000_000_000L);
        assertThat(m.x.retained(2)).isEqualTo(4_500_000_000L);
        assertThat(m.x.retained(1)).isEqualTo(6_000_000_000L);
        assertThat(m.x.retained(4)).isEqualTo(20L);
        assertThat(m.x.retained(0)).isEqualTo(6_000_000_020L);
        Table s = h.summary();
        assertThat(s.stringColumn("constructor").get(0)).isEqualTo("Big");
        assertThat(s.longColumn("count").get(0)).isEqualTo(2);
        assertThat(s.longColumn("retainedSize").get(0)).isEqualTo(6_000_000_000L); // the nested Big is not counted twice
        assertThat(s.where(s.stringColumn("constructor").isEqualTo("é ü")).longColumn("retainedSize").get(0)).isEqualTo(3_000_000_000L);
        Table objects = h.objects("Big");
        assertThat(objects.longColumn("id").asList()).containsExactly(4_000_000_001L, 3L);
        // the path to the 3 GB object names the edges by their (non-ASCII) strings
        assertThat(h.path(5)).contains("--a-->").contains("--\ud800 lone-->");
        assertThat(h.retainers(5).stringColumn("edge").get(0)).isEqualTo("\ud800 lone");
        assertThat(h.strings().grep("日本").table().rowCount()).isEqualTo(1);
    }

    @Test
    void readIndexedCachedAndReadBack() throws IOException {
        Heap first = Heap.open(file);
        assertThat(first.warnings().rowCount()).isZero();
        assertThat(first.info().stringColumn("cached").get(0)).isEqualTo("false");
        check(first);
        IndexCache.awaitWrites();
        Heap again = Heap.open(file);
        assertThat(again.info().stringColumn("cached").get(0)).isEqualTo("true");
        check(again);
        assertThat(again.summary().toString()).isEqualTo(first.summary().toString());
        // a damaged cache entry is ignored: the snapshot is read again, with the same answers
        Path entry = IndexCache.fileFor(file);
        byte[] bytes = Files.readAllBytes(entry);
        Files.write(entry, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Heap third = Heap.open(file);
        assertThat(third.info().stringColumn("cached").get(0)).isEqualTo("false");
        check(third);
        IndexCache.awaitWrites();
        Files.write(entry, new byte[]{1, 2, 3});
        assertThat(Heap.open(file).info().stringColumn("cached").get(0)).isEqualTo("false");
    }
}
