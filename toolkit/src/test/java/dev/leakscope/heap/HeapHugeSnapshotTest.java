package dev.leakscope.heap;

import dev.leakscope.Heap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opt-in (a 2.2 GB file and ~3 GB of heap): a real snapshot past 2 GiB loads completely. Make it with
 * {@code examples/make-artifacts.sh huge-snapshot DIR}, then run with {@code LEAKSCOPE_HUGE_SNAPSHOT_DIR=DIR}, e.g.
 * {@code LEAKSCOPE_HUGE_SNAPSHOT_DIR=/tmp/huge mvn test -pl toolkit -Dtest=HeapHugeSnapshotTest -DargLine=-Xmx6g} (the suite default, -Xmx4g, also suffices).
 * Counts are checked against the snapshot's own header and the number of records the app says it made.
 */
@EnabledIfEnvironmentVariable(named = "LEAKSCOPE_HUGE_SNAPSHOT_DIR", matches = ".+")
class HeapHugeSnapshotTest {

    @TempDir
    static Path tmp;

    @AfterAll
    static void flushCache() {
        IndexCache.awaitWrites();
    }

    @Test
    void snapshotPastTwoGigabytesLoads() throws IOException {
        System.setProperty("leakscope.cache", tmp.resolve("cache").toString());
        Path dir = Path.of(System.getenv("LEAKSCOPE_HUGE_SNAPSHOT_DIR"));
        Path file = dir.resolve("s1.heapsnapshot");
        assertThat(Files.size(file)).as("the file must be past 2 GiB").isGreaterThan(1L << 31);
        String head;
        try (InputStream in = Files.newInputStream(file)) {
            head = new String(in.readNBytes(1 << 16), StandardCharsets.ISO_8859_1);
        }
        Matcher counts = Pattern.compile("\"node_count\":(\\d+),\"edge_count\":(\\d+)").matcher(head);
        assertThat(counts.find()).isTrue();
        Matcher made = Pattern.compile("\\((\\d+) customers").matcher(Files.readString(dir.resolve("big-heap.log")));
        assertThat(made.find()).isTrue();

        Heap h = Heap.open(file);
        assertThat(h.warnings().rowCount()).isZero();
        assertThat((long) h.nodeCount()).isEqualTo(Long.parseLong(counts.group(1)));
        assertThat((long) h.edgeCount()).isEqualTo(Long.parseLong(counts.group(2)));
        Table s = h.summary();
        Table customer = s.where(s.stringColumn("constructor").isEqualTo("Customer"));
        assertThat(customer.longColumn("count").get(0)).isEqualTo(Long.parseLong(made.group(1)));
        assertThat(h.model().x.retained(0)).isEqualTo(h.model().g.totalSize());
        // the strings at the end of the file (past 2 GiB) are read: the last one equals what jackson reads from the tail
        String tail;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 16);
            ch.read(b, ch.size() - b.capacity());
            tail = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        }
        Matcher last = Pattern.compile("(\"(?:[^\"\\\\]|\\\\.)*\")\\s*]\\s*}\\s*$").matcher(tail);
        assertThat(last.find()).as("the file ends with the strings array").isTrue();
        String expected = new com.fasterxml.jackson.databind.ObjectMapper().readValue(last.group(1), String.class);
        assertThat(h.model().g.strings.get(h.model().g.strings.size() - 1)).isEqualTo(expected);
    }
}
