package dev.leakscope.heap;

import dev.leakscope.Heap;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Heap.leaks} on leaks shaped otherwise than the example app's Map and listener array, from real snapshots
 * of {@code examples/apps/leak-shapes.js}: each leak must come out as one group (or two, for the two directions of a
 * linked list) at the top, counted as an independent node script counts the leaked ids — not as one row per key of
 * a cache, or per position in node's timer list.
 */
class HeapLeakShapesTest {

    @AfterAll
    static void flushCache() {
        IndexCache.awaitWrites();
    }

    @BeforeAll
    static void cache(@TempDir Path tmp) {
        System.setProperty("leakscope.cache", tmp.resolve("cache").toString());
    }

    private static Path shape(String shape) {
        return Artifacts.get("heap-shape-" + shape, "leak-shapes", "OUT", "--shape", shape);
    }

    private static Table leaks(Path dir) {
        return Heap.leaks(dir.resolve("s1.heapsnapshot"), dir.resolve("s2.heapsnapshot"), dir.resolve("s3.heapsnapshot"));
    }

    /** Ids of {@code cls} allocated between s1 and s2 and alive in s3, by the independent script. */
    private static Set<Long> leakedIds(Path dir, String cls) throws Exception {
        Set<Long> expected = new HashSet<>(HeapFixtures.idsOf(dir.resolve("s2.heapsnapshot"), cls));
        expected.removeAll(HeapFixtures.idsOf(dir.resolve("s1.heapsnapshot"), cls));
        expected.retainAll(HeapFixtures.idsOf(dir.resolve("s3.heapsnapshot"), cls));
        return expected;
    }

    /** The shape's leaks table, checked to rank {@code cls} first with as many objects as the independent script. */
    private static Table leaksRankFirst(Path dir, String cls) throws Exception {
        Table t = leaks(dir);
        Set<Long> expected = leakedIds(dir, cls);
        assertThat(expected).hasSizeGreaterThan(100);
        assertThat(t.stringColumn("constructor").get(0)).isEqualTo(cls);
        assertThat(t.longColumn("count").get(0)).isEqualTo(expected.size());
        return t;
    }

    @Test
    void aCacheKeyedByStringsIsOneGroupNotOneRowPerKey() throws Exception {
        Path dir = shape("cache");
        Table t = leaksRankFirst(dir, "CacheEntry");
        String path = t.stringColumn("retainerPath").get(0);
        assertThat(path).contains("--cache--> Object --").endsWith("CacheEntry").doesNotContain("user:");
        assertThat(t.where(t.stringColumn("constructor").isEqualTo("CacheEntry")).rowCount()).isEqualTo(1);
    }

    @Test
    void aLeakInsideAWorkerThreadIsFoundAndTheMainThreadsHeapIsRefused() throws Exception {
        Path dir = shape("worker");
        Table t = leaksRankFirst(dir, "WorkerJob");
        assertThat(t.stringColumn("retainerPath").get(0)).contains("Map --table-->");
        // the main thread's heap is another isolate: its ids name other objects, and the error says so
        assertThatThrownBy(() -> Heap.leaks(dir.resolve("s1.heapsnapshot"), dir.resolve("s2.heapsnapshot"),
                dir.resolve("main.heapsnapshot"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("main.heapsnapshot").hasMessageContaining("worker_thread");
    }

    @Test
    void repliesAddedAtEveryDepthOfATreeAreOneGroup() throws Exception {
        Path dir = shape("tree");
        Table t = leaks(dir);
        Set<Long> leaked = leakedIds(dir, "Comment");
        assertThat(leaked).hasSizeGreaterThan(100);
        Table comments = t.where(t.stringColumn("constructor").isEqualTo("Comment"));
        // one row, not one per depth ("--replies--> Array --[]--> Comment" repeated 1, 2, 3… times)
        assertThat(comments.rowCount()).as(comments.print()).isEqualTo(1);
        assertThat(t.stringColumn("constructor").get(0)).isEqualTo("Comment");
        assertThat(comments.stringColumn("retainerPath").get(0)).contains("--thread--> Comment --replies--> Array --[]--> Comment");
        // the tops hold every leaked reply beneath them: at least the shallow size of all of them (48 bytes each)
        assertThat(comments.longColumn("count").get(0)).isLessThanOrEqualTo(leaked.size());
        assertThat(comments.longColumn("retainedSize").get(0)).isGreaterThanOrEqualTo(48L * leaked.size());
    }

    @Test
    void timersNeverClearedAreGroupedAcrossTheirLinkedList() throws Exception {
        Path dir = shape("timers");
        Table t = leaks(dir);
        Set<Long> expected = leakedIds(dir, "Timeout");
        assertThat(expected).hasSizeGreaterThan(100);
        Table timeouts = t.where(t.stringColumn("constructor").isEqualTo("Timeout"));
        // one group per direction of the doubly linked list at most
        assertThat(timeouts.rowCount()).isBetween(1, 2);
        assertThat(timeouts.longColumn("count").sum()).isEqualTo((double) expected.size());
        assertThat(t.stringColumn("constructor").get(0)).isEqualTo("Timeout");
        assertThat(timeouts.stringColumn("retainerPath").get(0)).contains("TimersList --_idle").endsWith("Timeout");
    }
}
