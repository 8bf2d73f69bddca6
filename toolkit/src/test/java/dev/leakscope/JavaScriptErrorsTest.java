package dev.leakscope;

import dev.leakscope.core.CoreFile;
import dev.leakscope.core.Segment;
import dev.leakscope.testing.Artifacts;
import dev.leakscope.v8.ElfBinary;
import dev.leakscope.v8.NativeBacktrace;
import dev.leakscope.v8.V8Exception;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Mismatched, missing, damaged and foreign inputs give clear errors (or partial results with warnings). */
class JavaScriptErrorsTest {

    static Path kernelCore() {
        return Artifacts.get("js-widgets-kernel", "core-snapshot", "kernel", "OUT", "--seconds", "3", "--",
                "--widgets", "12345", "--special-widgets", "321", "--ready-spin").resolve("core");
    }

    static Path node() {
        return Path.of(dev.leakscope.core.TestCores.node());
    }

    @Test
    void aNodeBinaryWithAnotherBuildIdIsRefused() throws IOException {
        Path core = kernelCore();
        Path real;
        try (JavaScript js = JavaScript.open(core)) {
            real = js.binary();
        }
        ElfBinary elf = ElfBinary.open(real);
        String id = elf.buildId();
        // the same node with one byte of its build-id changed: everything matches except the identity
        Path other = Artifacts.dir().resolve("node-other-build-id");
        Files.copy(real, other, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] idBytes = HexFormat.of().parseHex(id);
        byte[] head = elf.head(8192);
        int at = indexOf(head, idBytes);
        assertThat(at).isPositive();
        try (var ch = java.nio.channels.FileChannel.open(other, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) ~idBytes[0]}), at);
        }
        String otherId = ElfBinary.open(other).buildId();
        assertThat(otherId).isNotEqualTo(id);
        assertThatThrownBy(() -> JavaScript.open(core, other))
                .isInstanceOf(V8Exception.class)
                .hasMessageContaining("binary mismatch")
                .hasMessageContaining(otherId)
                .hasMessageContaining(id)
                .hasMessageContaining("withBinary");
        Files.delete(other);
    }

    @Test
    void aFileThatIsNotElfNamesThePathAndOffset() throws IOException {
        Path notElf = Artifacts.dir().resolve("not-a-binary.txt");
        Files.createDirectories(notElf.getParent());
        Files.writeString(notElf, "NOTANELF, just text\n");
        assertThatThrownBy(() -> JavaScript.open(kernelCore(), notElf))
                .isInstanceOf(V8Exception.class)
                .hasMessageContaining(notElf.toString())
                .hasMessageContaining("0x0")
                .hasMessageContaining("ELF magic");
    }

    @Test
    void aMissingBinaryTellsToUseWithBinary() {
        Path missing = Artifacts.dir().resolve("no-such-node");
        assertThatThrownBy(() -> JavaScript.open(kernelCore(), missing))
                .isInstanceOf(V8Exception.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void aDirectoryGivenAsTheBinaryIsCalledADirectory() {
        // e.g. --binary /opt/node-v20 instead of /opt/node-v20/bin/node
        Path dir = Artifacts.dir();
        assertThatThrownBy(() -> JavaScript.open(kernelCore(), dir))
                .isInstanceOf(V8Exception.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("is a directory")
                .hasMessageNotContaining("does not exist");
    }

    @Test
    void aCoreOfAnotherProgramSaysItIsNotNode() {
        Path sleepCore = Artifacts.get("sleep-gcore.core", "core-nonnode", "OUT");
        assertThatThrownBy(() -> JavaScript.open(sleepCore))
                .isInstanceOf(V8Exception.class)
                .hasMessageContaining("no v8dbg_* symbols");
        assertThat(dev.leakscope.cli.Main.run("js", sleepCore.toString())).isEqualTo(1);
    }

    @Test
    void aTruncatedCoreGivesWhatCanBeReadAndWarnings() throws IOException {
        Path core = kernelCore();
        // cut the file in the middle of the V8 heap: inside the segment holding the median Widget, and after
        // the segments holding the Maps (so objects stay recognisable)
        long cutAt;
        long allObjects;
        try (CoreFile cf = CoreFile.open(core); JavaScript js = JavaScript.of(cf, null)) {
            long[] w = js.heap().addressesOf("Widget");
            allObjects = js.heap().objectCount();
            var r = js.heap().reader();
            Segment mid = cf.segmentAt(w[w.length / 2] - 1);
            Segment maps = cf.segmentAt(r.mapOf(w[0]) - 1);
            Segment meta = cf.segmentAt(r.mapOf(r.mapOf(w[0])) - 1);
            cutAt = Math.max(mid.fileOffset() + mid.fileSize() / 2,
                    Math.max(maps.fileOffset() + maps.fileSize(), meta.fileOffset() + meta.fileSize()));
        }
        Path cut = Artifacts.dir().resolve("js-widgets-kernel-truncated.core");
        try (InputStream in = Files.newInputStream(core); OutputStream out = Files.newOutputStream(cut)) {
            byte[] buf = new byte[1 << 20];
            long left = cutAt;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
        assertThat(Files.size(cut)).isLessThan(Files.size(core));
        try (JavaScript js = JavaScript.open(cut)) {
            // the objects in (and referenced from) the part still in the file are found, the rest are not
            assertThat(js.objects().rowCount()).isPositive();
            assertThat((long) js.heap().objectCount()).isPositive().isLessThan(allObjects);
            Table warnings = js.warnings();
            assertThat(warnings.stringColumn("message").asList()).anyMatch(m -> m.contains("not readable") && m.contains("truncated"));
        } finally {
            Files.deleteIfExists(cut);
        }
    }

    @Test
    void withoutGdbTheBacktraceSaysHowToGetIt() {
        assertThatThrownBy(() -> NativeBacktrace.run("leakscope-no-such-gdb", node(), kernelCore(), 30))
                .isInstanceOf(V8Exception.class)
                .hasMessageContaining("needs gdb")
                .hasMessageContaining("apt-get install gdb");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
