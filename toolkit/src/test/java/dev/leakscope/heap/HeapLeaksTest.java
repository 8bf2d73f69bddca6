package dev.leakscope.heap;

import dev.leakscope.Heap;
import dev.leakscope.cli.Main;
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
 * Leak detection across three real snapshots of the example app, with no configuration: in leak mode it must
 * name the sessions Map and the config-reload listener array; in healthy mode it must not report them. Counts
 * are cross-checked against ids listed by an independent node script.
 */
class HeapLeaksTest {

    static Path leak;
    static Path healthy;

    @AfterAll
    static void flushCache() {
        IndexCache.awaitWrites(); // background cache saves finish before the temporary cache folder goes
    }

    @BeforeAll
    static void make(@TempDir Path tmp) {
        System.setProperty("leakscope.cache", tmp.resolve("cache").toString());
        leak = HeapFixtures.leakDir();
        healthy = HeapFixtures.healthyDir();
    }

    private static Table leaks(Path dir) {
        return Heap.leaks(dir.resolve("s3.heapsnapshot"), dir.resolve("s6.heapsnapshot"), dir.resolve("s9.heapsnapshot"));
    }

    @Test
    void findsTheMapAndTheListenerLeaksUnconfigured() throws Exception {
        Table t = leaks(leak);
        assertThat(t.columnNames()).contains("constructor", "count", "retainedSize", "retainerPath");
        // both leaks are among the biggest groups (on a loaded machine in-flight requests can rank close), each with
        // the path that names its collection
        Table top = t.first(5);
        assertThat(top.stringColumn("constructor").asList()).contains("RequestContext", "Function");
        Table rc = t.where(t.stringColumn("constructor").isEqualTo("RequestContext"));
        assertThat(rc.stringColumn("retainerPath").get(0)).contains("--sessions--> Map --table-->").endsWith("RequestContext");
        Table fn = t.where(t.stringColumn("constructor").isEqualTo("Function"));
        assertThat(fn.stringColumn("retainerPath").get(0)).contains("--_events--> Object --config-reload--> Array").endsWith("onReload()");

        // independent count: RequestContext ids present in s6 and s9 but not s3
        Set<Long> s3 = HeapFixtures.idsOf(leak.resolve("s3.heapsnapshot"), "RequestContext");
        Set<Long> s6 = HeapFixtures.idsOf(leak.resolve("s6.heapsnapshot"), "RequestContext");
        Set<Long> s9 = HeapFixtures.idsOf(leak.resolve("s9.heapsnapshot"), "RequestContext");
        Set<Long> expected = new HashSet<>(s6);
        expected.removeAll(s3);
        expected.retainAll(s9);
        assertThat(expected).isNotEmpty();
        assertThat(rc.longColumn("count").get(0)).isEqualTo(expected.size());
        // one onReload closure per leaked request
        assertThat(fn.longColumn("count").get(0)).isEqualTo(expected.size());
    }

    @Test
    void snapshotsOfDifferentProcessesAreRefusedNotCompared() {
        // the leak and healthy runs are two processes of the same app: their node ids name unrelated objects
        Path s3 = leak.resolve("s3.heapsnapshot"), s6 = leak.resolve("s6.heapsnapshot");
        Path other = healthy.resolve("s9.heapsnapshot");
        assertThatThrownBy(() -> Heap.leaks(s3, s6, other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(s3.toString()).hasMessageContaining(other.toString())
                .hasMessageContaining("different processes");
        assertThatThrownBy(() -> Heap.compare(Heap.open(s3), Heap.open(other))).hasMessageContaining("different processes");
        assertThatThrownBy(() -> Heap.growingCollections(s3, s6, other)).hasMessageContaining("different processes");
        assertThat(Main.run("heap", "--leaks", s3.toString(), s6.toString(), other.toString())).isEqualTo(2);
        // one process: no complaint
        assertThat(Heap.compare(Heap.open(s3), Heap.open(leak.resolve("s9.heapsnapshot"))).rowCount()).isPositive();
    }

    @Test
    void aFinalSnapshotCutInItsStringsStillGroupsTheLeak(@TempDir Path tmp) throws Exception {
        // a copy of s9 that stopped mid-transfer inside the strings array: names past the cut are missing, and paths
        // must not fall apart into one row per missing name (each "(missing string #N)" differs)
        Path s9 = leak.resolve("s9.heapsnapshot");
        byte[] all = java.nio.file.Files.readAllBytes(s9);
        int strings = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1).lastIndexOf("\"strings\":[");
        assertThat(strings).isPositive();
        Path cut = tmp.resolve("s9-cut.heapsnapshot");
        java.nio.file.Files.write(cut, java.util.Arrays.copyOf(all, strings + (all.length - strings) / 2));
        Table t = Heap.leaks(leak.resolve("s3.heapsnapshot"), leak.resolve("s6.heapsnapshot"), cut);
        assertThat(Heap.open(cut).warnings().rowCount()).isPositive();
        Table whole = leaks(leak);
        Table rc = whole.where(whole.stringColumn("constructor").isEqualTo("RequestContext"));
        Table rcCut = t.where(t.stringColumn("constructor").isEqualTo("RequestContext"));
        assertThat(rcCut.rowCount()).as(rcCut.print()).isEqualTo(rc.rowCount());
        assertThat(rcCut.longColumn("count").sum()).isEqualTo(rc.longColumn("count").sum());
        assertThat(t.rowCount()).isLessThan(whole.rowCount() + 10);
    }

    @Test
    void snapshotsGivenNewestFirstAreRefusedNotAnEmptyAnswer() {
        // s6 before s3 (a listing sorted newest first): nothing in s3 is newer than s6, so the answer would be an
        // empty table that reads as "no leak"
        Path s3 = leak.resolve("s3.heapsnapshot"), s6 = leak.resolve("s6.heapsnapshot"), s9 = leak.resolve("s9.heapsnapshot");
        assertThatThrownBy(() -> Heap.leaks(s6, s3, s9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(s6.toString()).hasMessageContaining(s3.toString()).hasMessageContaining("oldest first");
        assertThatThrownBy(() -> Heap.leaks(s9, s6, s3)).hasMessageContaining("oldest first");
        assertThatThrownBy(() -> Heap.leaks(Heap.open(s6), Heap.open(s3), Heap.open(s9))).hasMessageContaining("oldest first");
        assertThat(Main.run("heap", "--leaks", s9.toString(), s6.toString(), s3.toString())).isEqualTo(2);
        // growing collections and objects over snapshots newest first would be empty too
        assertThatThrownBy(() -> Heap.growingCollections(s9, s6, s3)).hasMessageContaining("oldest first");
        assertThatThrownBy(() -> Heap.growingObjects(Heap.open(s6), Heap.open(s3), Heap.open(s9))).hasMessageContaining("oldest first");
    }

    @Test
    void healthyServiceShowsNoSuchLeak() {
        Table t = leaks(healthy);
        for (int r = 0; r < t.rowCount(); r++) {
            String path = t.stringColumn("retainerPath").get(r);
            assertThat(path).as("row %s", t.row(r)).doesNotContain("--sessions--> Map").doesNotEndWith("onReload()");
            if (t.stringColumn("constructor").get(r).equals("RequestContext")) {
                // healthy mode keeps only a bounded window of the last 200 contexts ('recent')
                assertThat(path).contains("--recent--> Array");
                assertThat(t.longColumn("count").get(r)).isLessThanOrEqualTo(200);
            }
        }
    }

    @Test
    void compareCountsAddedAndRemovedById() throws Exception {
        Heap a = Heap.open(leak.resolve("s3.heapsnapshot"));
        Heap b = Heap.open(leak.resolve("s6.heapsnapshot"));
        Table c = Heap.compare(a, b);
        Set<Long> s3 = HeapFixtures.idsOf(leak.resolve("s3.heapsnapshot"), "RequestContext");
        Set<Long> s6 = HeapFixtures.idsOf(leak.resolve("s6.heapsnapshot"), "RequestContext");
        Set<Long> added = new HashSet<>(s6);
        added.removeAll(s3);
        Set<Long> removed = new HashSet<>(s3);
        removed.removeAll(s6);
        Table rc = c.where(c.stringColumn("constructor").isEqualTo("RequestContext"));
        assertThat(rc.longColumn("added").get(0)).isEqualTo(added.size());
        assertThat(rc.longColumn("removed").get(0)).isEqualTo(removed.size());
        assertThat(rc.longColumn("countBefore").get(0)).isEqualTo(s3.size());
        assertThat(rc.longColumn("countAfter").get(0)).isEqualTo(s6.size());
    }

    @Test
    void growingCollectionsAndObjects() {
        Heap a = Heap.open(leak.resolve("s3.heapsnapshot"));
        Heap b = Heap.open(leak.resolve("s6.heapsnapshot"));
        Heap c = Heap.open(leak.resolve("s9.heapsnapshot"));
        Table g = Heap.growingCollections(a, b, c);
        assertThat(g.stringColumn("retainerPath").asList())
                .anyMatch(p -> p.endsWith("--sessions--> Map"))
                .anyMatch(p -> p.endsWith("--config-reload--> Array"));
        Table o = Heap.growingObjects(a, b, c);
        assertThat(o.stringColumn("retainerPath").asList()).anyMatch(p -> p.endsWith("--configBus--> EventEmitter"));
        // the light path (ids and sizes only for the earlier snapshots) agrees
        Table light = Heap.growingCollections(leak.resolve("s3.heapsnapshot"), leak.resolve("s6.heapsnapshot"), leak.resolve("s9.heapsnapshot"));
        assertThat(light.toString()).isEqualTo(g.toString());

        Heap ha = Heap.open(healthy.resolve("s3.heapsnapshot"));
        Heap hb = Heap.open(healthy.resolve("s6.heapsnapshot"));
        Heap hc = Heap.open(healthy.resolve("s9.heapsnapshot"));
        Table hg = Heap.growingCollections(ha, hb, hc);
        assertThat(hg.stringColumn("retainerPath").asList()).noneMatch(p -> p.endsWith("--sessions--> Map"));
    }

    @Test
    void commandLineLeaks() {
        assertThat(Main.run("heap", "--leaks", leak.resolve("s3.heapsnapshot").toString(),
                leak.resolve("s6.heapsnapshot").toString(), leak.resolve("s9.heapsnapshot").toString(), "--top", "3")).isZero();
    }
}
