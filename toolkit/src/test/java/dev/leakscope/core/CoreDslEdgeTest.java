package dev.leakscope.core;

import dev.leakscope.Core;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Core DSL on what real cores here cannot give: AArch64, and damaged compressed input. */
class CoreDslEdgeTest {

    @Test
    void aarch64ThreadsAndRegistersAsTables(@TempDir Path dir) throws Exception {
        long[] regs = new long[34];
        for (int i = 0; i < 31; i++) {
            regs[i] = 0x100 + i;
        }
        regs[31] = 0xffffd0000010L; // sp
        regs[32] = 0xaaaa00001234L; // pc
        SyntheticCore sc = new SyntheticCore();
        sc.machine = 183;
        sc.note("CORE", Note.NT_PRSTATUS, SyntheticCore.prstatus(392, 900, 1, 11, regs))
                .note("CORE", Note.NT_PRSTATUS, SyntheticCore.prstatus(392, 901, 1, 11, regs))
                .note("CORE", Note.NT_PRPSINFO, SyntheticCore.prpsinfo(900, 1, 1000, "node", "node app.js"))
                .load(0xffffd0000000L, "stack text: ECONNRESET here\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0x1000, 6);
        Path p = sc.write(dir.resolve("core.arm64"));
        try (Core c = Core.open(p)) {
            Table info = c.info();
            assertThat(info.stringColumn("arch").get(0)).isEqualTo("aarch64");
            assertThat(info.intColumn("pid").get(0)).isEqualTo(900);
            assertThat(info.stringColumn("signal").get(0)).isEqualTo("SIGSEGV");
            Table t = c.threads();
            assertThat(t.intColumn("tid").asList()).containsExactly(900, 901);
            assertThat(t.stringColumn("pc").get(0)).isEqualTo("0xaaaa00001234");
            assertThat(t.stringColumn("sp").get(0)).isEqualTo("0xffffd0000010");
            assertThat(t.stringColumn("fp").get(0)).isEqualTo("0x" + Long.toHexString(0x100 + 29));
            Table r = c.registers();
            assertThat(r.rowCount()).isEqualTo(2 * 34);
            assertThat(r.stringColumn("register").asList().subList(0, 34)).startsWith("x0", "x1").endsWith("sp", "pc", "pstate");
            assertThat(c.regions().stringColumn("mapping").get(0)).isEqualTo("[stack]");
            Table s = c.strings().in("[stack]").grep("ECONN").table();
            assertThat(s.stringColumn("text").asList()).containsExactly("stack text: ECONNRESET here");
            assertThat(s.stringColumn("address").get(0)).isEqualTo("0xffffd0000000");
        }
    }

    @Test
    void aDamagedCompressedCoreIsAClearErrorAndLeavesNothingInTheCache(@TempDir Path dir) throws Exception {
        Path src = TestCores.kernel();
        Path gz = dir.resolve("core.gz");
        // a gzip header naming a compression method that does not exist (byte 2 is CM; only 8, deflate, is defined)
        TestCores.sh("head -c 4000000 '" + src + "' | gzip -1 -c > '" + gz + ".ok' && { printf '\\037\\213\\007'; "
                + "tail -c +4 '" + gz + ".ok'; } > '" + gz + "'");
        Path cache = dir.resolve("cache");
        System.setProperty("leakscope.cache", cache.toString());
        try {
            assertThatThrownBy(() -> Core.open(gz)).isInstanceOf(CoreFormatException.class)
                    .hasMessageContaining(gz.toString()).hasMessageContaining("cannot decompress");
            try (var s = Files.list(cache)) {
                assertThat(s.toList()).isEmpty();
            }
        } finally {
            System.clearProperty("leakscope.cache");
        }
    }

    @Test
    void aCutCompressedCoreOpensAsATruncatedCoreWithAWarning(@TempDir Path dir) throws Exception {
        Path src = TestCores.kernel();
        Path gz = dir.resolve("core.gz");
        TestCores.sh("head -c 4000000 '" + src + "' | gzip -1 -c | head -c 300000 > '" + gz + "'");
        System.setProperty("leakscope.cache", dir.resolve("cache").toString());
        try (Core c = Core.open(gz)) {
            assertThat(c.warnings().stringColumn("message").asList()).anyMatch(m -> m.contains("ends early"))
                    .anyMatch(m -> m.contains("core truncated"));
        } finally {
            System.clearProperty("leakscope.cache");
        }
    }
}
