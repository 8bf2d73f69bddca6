package dev.leakscope;

import dev.leakscope.core.CoreFormatException;
import dev.leakscope.core.TestCores;
import dev.leakscope.testing.CacheDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A compressed core cut short (a copy that stopped mid-transfer) and a core the user may not read, on a real kernel
 * core: what zlib recovers is read, byte for byte (zcat's bytes plus at most one deflate match; GNU strings agrees), with a warning;
 * an unreadable file says so instead of blaming decompression.
 */
class CoreDamagedInputTest {

    @TempDir
    Path tmp;

    @Test
    void aCutGzipCoreGivesEveryByteBeforeTheCutAndSaysWhatIsMissing() throws Exception {
        Path core = TestCores.kernel();
        Path gz = tmp.resolve("core.58.gz");
        TestCores.sh("gzip -1 -c '" + core + "' > '" + gz + "'");
        Path cut = tmp.resolve("cut.core.gz");
        TestCores.sh("head -c " + Files.size(gz) / 2 + " '" + gz + "' > '" + cut + "'");
        Path byZcat = tmp.resolve("zcat.core"); // what zcat writes before it reports the cut
        TestCores.sh("zcat '" + cut + "' > '" + byZcat + "' 2>/dev/null || true");
        // zlib (the JDK's inflater) decodes up to a symbol or two more of the last partial block than gzip's own
        // inflate: python's zlib writes what we should read, and it must be zcat's bytes plus at most one match
        Path recovered = tmp.resolve("recovered.core");
        TestCores.run("/usr/bin/python3", "-c", "import sys, zlib\n"
                + "d = zlib.decompressobj(31)\n"
                + "with open(sys.argv[1], 'rb') as i, open(sys.argv[2], 'wb') as o:\n"
                + "    for b in iter(lambda: i.read(1 << 20), b''): o.write(d.decompress(b))\n",
                cut.toString(), recovered.toString());
        long recoveredBytes = Files.size(recovered);
        assertThat(recoveredBytes).isBetween(Files.size(byZcat), Files.size(byZcat) + 258);
        TestCores.sh("cmp -n " + Files.size(byZcat) + " '" + byZcat + "' '" + recovered + "'");
        assertThat(recoveredBytes).isGreaterThan(4096).isLessThan(Files.size(core));

        CacheDir.with(tmp.resolve("cache"), () -> {
            try (Core c = Core.open(cut)) {
                Table w = c.warnings();
                assertThat(w.stringColumn("structure").get(0)).isEqualTo("compressed core");
                assertThat(w.stringColumn("message").get(0)).contains("cut.core.gz").contains("ends early")
                        .contains("0x" + Long.toHexString(recoveredBytes));
                assertThat(w.stringColumn("message").asList()).anyMatch(m -> m.contains("core truncated"));
                ByteArrayOutputStream ours = new ByteArrayOutputStream();
                c.strings().writeTo(ours, 'd');
                Path gnu = tmp.resolve("gnu.txt");
                TestCores.sh("strings -a -t d '" + recovered + "' > '" + gnu + "'");
                assertThat(ours.toByteArray()).isEqualTo(Files.readAllBytes(gnu));
                // reopening uses the cache and still says it
                try (Core again = Core.open(cut)) {
                    assertThat(again.warnings().stringColumn("message").get(0)).contains("ends early");
                }
            }
        });
    }

    @Test
    void aCutZstdCoreAsSystemdKeepsThemGivesWhatZstdRecovers() throws Exception {
        // systemd-coredump stores cores as .zst; a copy cut short is read up to the cut, byte for byte what zstd -dc gives
        Path core = TestCores.kernel();
        Path zst = tmp.resolve("core.node.1000.zst");
        TestCores.sh("zstd -q -1 -c '" + core + "' > '" + zst + "'");
        Path cut = tmp.resolve("cut.zst");
        TestCores.sh("head -c " + Files.size(zst) / 2 + " '" + zst + "' > '" + cut + "'");
        Path recovered = tmp.resolve("recovered.core");
        TestCores.sh("zstd -q -dc '" + cut + "' > '" + recovered + "' 2>/dev/null || true");
        long recoveredBytes = Files.size(recovered);
        assertThat(recoveredBytes).isGreaterThan(4096).isLessThan(Files.size(core));
        CacheDir.with(tmp.resolve("cache"), () -> {
            try (Core c = Core.open(cut)) {
                assertThat(c.warnings().stringColumn("message").get(0)).contains("zstd stream ends early")
                        .contains("0x" + Long.toHexString(recoveredBytes));
                ByteArrayOutputStream ours = new ByteArrayOutputStream();
                c.strings().writeTo(ours, 'd');
                Path gnu = tmp.resolve("gnu.txt");
                TestCores.sh("strings -a -t d '" + recovered + "' > '" + gnu + "'");
                assertThat(ours.toByteArray()).isEqualTo(Files.readAllBytes(gnu));
            }
        });
    }

    @Test
    void aHeapSnapshotGivenAsACoreIsNamedAsOneAndNothingIsCached() throws Exception {
        // the seed runs `strings heapdump.heapsnapshot | grep twilio`; leakscope strings takes cores only
        Path snapshot = dev.leakscope.testing.Artifacts.get("heap-leak", "snapshots", "OUT", "--mode", "leak", "--at", "3,6,9")
                .resolve("s3.heapsnapshot");
        assertThatThrownBy(() -> Core.open(snapshot)).isInstanceOf(CoreFormatException.class)
                .hasMessageContaining(snapshot.toString()).hasMessageContaining("V8 heap snapshot").hasMessageContaining("leakscope heap");
        Path gz = tmp.resolve("s3.heapsnapshot.gz");
        TestCores.sh("gzip -c '" + snapshot + "' > '" + gz + "'");
        Path cache = tmp.resolve("cache");
        CacheDir.with(cache, () -> {
            assertThatThrownBy(() -> Core.open(gz)).isInstanceOf(CoreFormatException.class)
                    .hasMessageContaining(gz.toString()).hasMessageContaining("not an ELF core").hasMessageContaining("V8 heap snapshot");
            try (var s = Files.list(cache)) {
                assertThat(s.toList()).as("no decompressed copy of a non-core in the cache").isEmpty();
            }
        });
    }

    @Test
    void aCoreWithoutReadPermissionSaysPermissionDenied() throws Exception {
        Path core = tmp.resolve("core.58");
        Files.copy(TestCores.kernel(), core);
        TestCores.sh("chmod 000 '" + core + "'");
        if (!"0".equals(TestCores.run("id", "-u").strip())) {
            assertThatThrownBy(() -> Core.open(core)).isInstanceOf(CoreFormatException.class)
                    .hasMessageContaining(core.toString()).hasMessageContaining("permission denied")
                    .hasMessageNotContaining("decompress");
            return;
        }
        // root reads anything: run the command line as nobody, with a copy of the class path nobody may read
        boolean canDrop;
        try {
            Process probe = new ProcessBuilder("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            canDrop = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (java.io.IOException noSetpriv) {
            canDrop = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(canDrop,
                "root without setpriv or the capability to become nobody: cannot make a file unreadable here");
        Path cp = tmp.resolve("cp");
        Files.createDirectories(cp);
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = cp.resolve((i++) + "-" + src.getFileName());
            TestCores.sh("cp -r '" + src + "' '" + dst + "'");
            entries.add(dst.toString());
        }
        TestCores.sh("chmod -R a+rX '" + tmp + "'; chmod 000 '" + core + "'");
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-Duser.home=" + tmp,
                "-cp", String.join(java.io.File.pathSeparator, entries), "dev.leakscope.cli.Main", "core", core.toString())
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String msg = Files.readString(err);
        assertThat(p.exitValue()).as(msg).isEqualTo(1);
        assertThat(msg).contains(core.toString()).contains("permission denied").doesNotContain("decompress");
    }
}
