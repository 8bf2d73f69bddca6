package dev.leakscope;

import dev.leakscope.core.TestCores;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real core past 2 GiB: the example app holding a 2,300 MiB ArrayBuffer, untouched except for a marker in its
 * last page, dumped by the kernel (SIGABRT) — 2.4 GB long, sparse on disk. Offsets and addresses past 2 GiB must
 * match GNU strings, readelf and gdb.
 */
class CoreOver2GiBTest {

    static final String MARKER = "leakscope-marker-past-2GiB";

    static Path core() {
        return Artifacts.get("reserve-kernel.core", "core", "kernel", "OUT", "--seconds", "3", "--",
                "--reserve-mb", "2300", "--reserve-marker", MARKER);
    }

    @Test
    void stringsPast2GiBHaveGnuOffsetsAndGdbAddresses() throws Exception {
        Path p = core();
        assertThat(Files.size(p)).as("the core is past 2 GiB").isGreaterThan(1L << 31);
        try (Core c = Core.open(p)) {
            assertThat(c.warnings().rowCount()).as(c.warnings().print()).isZero();
            Table t = c.strings().grep(MARKER).table();
            List<String> gnu = TestCores.lines(TestCores.sh("strings -a -t d '" + p + "' | grep -F '" + MARKER + "'"));
            assertThat(t.rowCount()).isEqualTo(gnu.size());
            int past = -1;
            for (int r = 0; r < t.rowCount(); r++) {
                String line = gnu.get(r).trim();
                long offset = Long.parseLong(line.substring(0, line.indexOf(' ')));
                assertThat(t.longColumn("offset").get(r)).isEqualTo(offset);
                if (offset > (1L << 31)) {
                    past = r;
                }
            }
            assertThat(past).as("a marker past 2 GiB into the file").isNotNegative();
            // the last page of the buffer: its address, read back through the core's segments and by gdb
            String addr = t.stringColumn("address").get(past);
            assertThat(addr).isNotEmpty();
            assertThat(c.file().readBytes(Long.decode(addr), MARKER.length()))
                    .isEqualTo(MARKER.getBytes(StandardCharsets.ISO_8859_1));
            String gdb = TestCores.run("gdb", "-nx", "-batch", "-ex", "x/s " + addr, TestCores.node(), p.toString());
            assertThat(gdb).contains(addr + ":").contains(MARKER);
            // the PT_LOAD segment readelf names for that offset holds that address
            long off = t.longColumn("offset").get(past);
            boolean inSegment = false;
            for (String l : TestCores.lines(TestCores.sh("readelf -lW '" + p + "' | awk '$1 == \"LOAD\"'"))) {
                String[] f = l.trim().split("\\s+");
                long fileOff = hex(f[1]);
                long vaddr = hex(f[2]); // unsigned: [vsyscall] is at 0xffffffffff600000
                long fileSize = hex(f[4]);
                if (off >= fileOff && off < fileOff + fileSize) {
                    assertThat(Long.decode(addr)).isEqualTo(vaddr + (off - fileOff));
                    inSegment = true;
                }
            }
            assertThat(inSegment).isTrue();
            // every PT_LOAD's bytes counted in long arithmetic, as readelf lists them
            long loadBytes = TestCores.lines(TestCores.sh("readelf -lW '" + p + "' | awk '$1 == \"LOAD\"'")).stream()
                    .map(l -> l.trim().split("\\s+")).mapToLong(f -> hex(f[4])).sum();
            assertThat(loadBytes).isGreaterThan(1L << 31);
            assertThat(c.info().longColumn("fileBytes").get(0)).isEqualTo(loadBytes);
        }
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s.startsWith("0x") ? s.substring(2) : s, 16);
    }
}
