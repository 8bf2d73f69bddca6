package dev.leakscope.heap;

import dev.leakscope.Heap;
import dev.leakscope.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heap.open and summary() on a real snapshot of the example app, checked number by number against an independent
 * node script (JSON.parse, DevTools' class rules, a Cooper–Harvey–Kennedy dominator tree).
 */
class HeapSummaryTest {

    static Path snapshot;
    static Heap heap;
    static Path independent;

    @AfterAll
    static void flushCache() {
        IndexCache.awaitWrites(); // background cache saves finish before the temporary cache folder goes
    }

    @BeforeAll
    static void load(@TempDir Path tmp) throws Exception {
        System.setProperty("leakscope.cache", tmp.resolve("cache").toString());
        snapshot = HeapFixtures.leakDir().resolve("s9.heapsnapshot");
        heap = Heap.open(snapshot);
        independent = tmp.resolve("independent.json");
        HeapFixtures.node("independent-count.js", snapshot.toString(), independent.toString());
    }

    private static Map<String, Object> readIndependent() throws IOException {
        return HeapFixtures.readIndependent(independent);
    }

    @Test
    @SuppressWarnings("unchecked")
    void countsAndSizesMatchAnIndependentCount() throws IOException {
        Map<String, Object> ind = readIndependent();
        HeapFixtures.assertSummaryMatches(heap, ind);
        Map<String, long[]> classes = (Map<String, long[]>) ind.get("classes");
        assertThat(classes.get("RequestContext")[0]).isGreaterThan(100);
    }

    @Test
    @SuppressWarnings("unchecked")
    void dominatorsAndRetainedSizesMatchAnotherAlgorithm() throws IOException {
        Map<String, Object> ind = readIndependent();
        java.util.List<Long> retained = (java.util.List<Long>) ind.get("retained");
        java.util.List<Long> idom = (java.util.List<Long>) ind.get("idom");
        Snapshot m = heap.model();
        int differ = 0;
        for (int i = 0; i < m.g.nodeCount; i++) {
            if (m.x.retained(i) != retained.get(i) || m.x.idom[i] != idom.get(i)) {
                differ++;
            }
        }
        assertThat(differ).as("nodes whose idom or retained size differ").isZero();
        assertThat(m.x.retained(0)).isEqualTo(m.g.totalSize());
    }

    @Test
    void summaryIsSortedByRetainedSizeAndDoesNotDoubleCount() {
        Table s = heap.summary();
        for (int r = 1; r < s.rowCount(); r++) {
            assertThat(s.longColumn("retainedSize").get(r)).isLessThanOrEqualTo(s.longColumn("retainedSize").get(r - 1));
        }
        long total = heap.model().g.totalSize();
        for (int r = 0; r < s.rowCount(); r++) {
            assertThat(s.longColumn("retainedSize").get(r)).isLessThanOrEqualTo(total)
                    .isGreaterThanOrEqualTo(s.longColumn("shallowSize").get(r));
        }
        // RequestContexts never contain each other: the class total is the sum of the objects' retained sizes
        Table rc = heap.objects("RequestContext");
        long sum = 0;
        for (int r = 0; r < rc.rowCount(); r++) {
            sum += rc.longColumn("retainedSize").get(r);
        }
        Table row = s.where(s.stringColumn("constructor").isEqualTo("RequestContext"));
        assertThat(row.longColumn("retainedSize").get(0)).isEqualTo(sum);
        // Object nests in Object: the class total must be less than the plain sum
        Table obj = heap.objects("Object");
        long objSum = 0;
        for (int r = 0; r < obj.rowCount(); r++) {
            objSum += obj.longColumn("retainedSize").get(r);
        }
        Table orow = s.where(s.stringColumn("constructor").isEqualTo("Object"));
        assertThat(orow.longColumn("retainedSize").get(0)).isLessThan(objSum);
    }

    @Test
    void retainersDominatedEdgesStringsClosures() {
        Table rc = heap.objects("RequestContext");
        long id = rc.longColumn("id").get(0);
        Table ret = heap.retainers(id);
        assertThat(ret.rowCount()).isPositive();
        // path 1 is the shortest and ends at the root
        Table p1 = ret.where(ret.intColumn("path").isEqualTo(1));
        assertThat(p1.intColumn("distance").get(p1.rowCount() - 1)).isZero();
        assertThat(p1.stringColumn("edge").asList()).contains("sessions", "table");
        assertThat(ret.stringColumn("edge").asList()).contains("ctx");
        Table edges = heap.edges(id);
        assertThat(edges.stringColumn("edge").asList()).contains("url", "customer", "headers", "body");
        Table dom = heap.dominated(id);
        assertThat(dom.stringColumn("constructor").asList()).isNotEmpty();
        assertThat(heap.strings().grep("postgres://orders").table().longColumn("count").get(0)).isEqualTo(1);
        assertThat(heap.strings().grep("postgres://orders").table().longColumn("holders").get(0)).isPositive();
        Table closures = heap.closures();
        Table onReload = closures.where(closures.stringColumn("name").isEqualTo("onReload"));
        assertThat(onReload.rowCount()).isEqualTo(1);
        assertThat(onReload.stringColumn("script").get(0)).endsWith("orders-service.js");
        assertThat(onReload.longColumn("count").get(0)).isEqualTo(rc.rowCount());
        // the location is the app's own source line (1-based) of `const onReload = (cfg) => …`
        java.util.List<String> src;
        try {
            src = Files.readAllLines(dev.leakscope.testing.Artifacts.root().resolve("examples/apps/orders-service.js"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int line = 0;
        for (int i = 0; i < src.size(); i++) {
            if (src.get(i).contains("const onReload = (cfg) =>")) {
                line = i + 1;
            }
        }
        assertThat(onReload.intColumn("line").get(0)).isEqualTo(line);
        assertThat(heap.duplicateStrings().longColumn("count").get(0)).isGreaterThan(1);
    }

    @Test
    void reopeningUsesTheCacheAndGivesTheSameAnswer() {
        IndexCache.awaitWrites(); // the first open saves in the background
        Heap again = Heap.open(snapshot);
        assertThat(again.info().stringColumn("cached").get(0)).isEqualTo("true");
        assertThat(again.summary().toString()).isEqualTo(heap.summary().toString());
    }

    @Test
    void gzipSnapshotsReadTheSame(@TempDir Path tmp) throws IOException {
        Path gz = tmp.resolve("s9.heapsnapshot.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(snapshot, out);
        }
        Heap h = Heap.open(gz);
        assertThat(h.nodeCount()).isEqualTo(heap.nodeCount());
        assertThat(h.summary().toString()).isEqualTo(heap.summary().toString());
    }

    @Test
    void commandLinePrintsTheSummary() {
        assertThat(Main.run("heap", snapshot.toString(), "--top", "5")).isZero();
        assertThat(Main.run("heap", snapshot.resolveSibling("missing.heapsnapshot").toString())).isEqualTo(1);
        assertThat(Main.run("heap", snapshot.toString(), "--top", "0")).isEqualTo(2);
    }
}
