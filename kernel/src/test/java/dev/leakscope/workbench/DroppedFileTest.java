package dev.leakscope.workbench;

import static dev.leakscope.workbench.WorkbenchArtifacts.q;
import static dev.leakscope.workbench.WorkbenchArtifacts.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sniffing real artifacts made by the example app, cross-checked with readelf and jq. */
class DroppedFileTest {

    @TempDir
    Path tmp;

    @Test
    void aRealCoreIsOpenedWithCoreOpen() throws IOException {
        Path core = WorkbenchArtifacts.core();
        assertThat(sh("readelf -h " + q(core))).contains("CORE (Core file)");
        assertThat(DroppedFile.sniff(core)).isEqualTo(DroppedFile.Kind.CORE);
        Path zst = tmp.resolve("core.zst");
        sh("head -c 1048576 " + q(core) + " | zstd -q -o " + q(zst));
        assertThat(DroppedFile.sniff(zst)).isEqualTo(DroppedFile.Kind.CORE);
    }

    @Test
    void aRealHeapSnapshotIsOpenedWithHeapOpenAlsoCompressed() throws IOException {
        Path snap = WorkbenchArtifacts.snapshot();
        assertThat(sh("jq -c '.snapshot.meta.node_fields | length > 0' " + q(snap)).strip()).isEqualTo("true");
        assertThat(DroppedFile.sniff(snap)).isEqualTo(DroppedFile.Kind.HEAP_SNAPSHOT);
        Path gz = tmp.resolve("s.heapsnapshot.gz");
        sh("gzip -c " + q(snap) + " > " + q(gz));
        assertThat(DroppedFile.sniff(gz)).isEqualTo(DroppedFile.Kind.HEAP_SNAPSHOT);
        Path pretty = tmp.resolve("pretty.json");
        sh("head -c 200000 " + q(snap) + " | sed -e 's/^{/ \\n {\\n  /' > " + q(pretty));
        assertThat(DroppedFile.sniff(pretty)).isEqualTo(DroppedFile.Kind.HEAP_SNAPSHOT);
    }

    @Test
    void aRealLogIsOpenedWithLogsOpenAlsoCompressed() throws IOException {
        Path log = WorkbenchArtifacts.log();
        assertThat(Files.readString(log)).contains("heapUsed");
        assertThat(DroppedFile.sniff(log)).isEqualTo(DroppedFile.Kind.LOG);
        Path xz = tmp.resolve("app.log.xz");
        sh("xz -c " + q(log) + " > " + q(xz));
        assertThat(DroppedFile.sniff(xz)).isEqualTo(DroppedFile.Kind.LOG);
    }

    @Test
    void otherJsonAndPrometheusScrapes() {
        assertThat(DroppedFile.sniff("{\"level\":30,\"msg\":\"snapshot taken\"}\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(DroppedFile.Kind.LOG);
        assertThat(DroppedFile.sniff("# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(DroppedFile.Kind.METRICS);
        assertThat(DroppedFile.sniff(new byte[0])).isEqualTo(DroppedFile.Kind.LOG);
    }

    @Test
    void damagedCompressedFileNamesTheFileAndTheMagic() throws IOException {
        Path bad = tmp.resolve("bad.gz");
        Files.write(bad, new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7});
        assertThatThrownBy(() -> DroppedFile.sniff(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("1f 8b 01 02 at 0x0");
    }

    @Test
    void theOpenLineDeclaresAFreshVariableAndQuotesThePath() {
        Path p = Path.of("/tmp/dir with \"quotes\"/back\\slash/core.58");
        String line = DroppedFile.openLine(DroppedFile.Kind.CORE, p, "var heap = Heap.open(\"x\");\n");
        assertThat(line).isEqualTo("var core = Core.open(\"/tmp/dir with \\\"quotes\\\"/back\\\\slash/core.58\");");
        String doc = "var core = Core.open(\"a\");\nvar core2 = Core.open(\"b\");\nif (core == null) {}";
        assertThat(DroppedFile.openLine(DroppedFile.Kind.CORE, p, doc)).startsWith("var core3 = Core.open(");
        assertThat(DroppedFile.openLine(DroppedFile.Kind.LOG, Path.of("/l.log"), doc)).isEqualTo("var logs = Logs.open(\"/l.log\");");
        assertThat(DroppedFile.openLine(DroppedFile.Kind.HEAP_SNAPSHOT, Path.of("/s"), doc)).startsWith("var heap = Heap.open(");
    }

    @Test
    void javacReadsTheQuotedPathBackUnchanged() {
        String path = "/tmp/ä \"q\" \\ \t tab/\u0001ctl";
        CellRunner r = SharedRunner.get();
        {
            CellResult res = r.run(DroppedFile.javaString(path));
            assertThat(res.failed()).as("%s", res.error()).isFalse();
            assertThat(res.value()).isEqualTo(path);
        }
    }
}
