package dev.leakscope.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CoreFile on real cores, checked against readelf, llvm-readelf and gdb; and on bad input. */
class CoreFileTest {

    static Path core(String kind) {
        return kind.equals("kernel") ? TestCores.kernel() : TestCores.gcore();
    }

    private static final Pattern LOAD = Pattern.compile(
            "^\\s*LOAD\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s+0x\\p{XDigit}+\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s+(.{3})\\s+0x\\p{XDigit}+\\s*$");

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "gcore"})
    void segmentsMatchReadelf(String kind) {
        Path p = core(kind);
        List<long[]> expected = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        for (String line : TestCores.lines(TestCores.run("readelf", "-lW", p.toString()))) {
            Matcher m = LOAD.matcher(line);
            if (m.matches()) {
                expected.add(new long[] {Long.parseUnsignedLong(m.group(2), 16), Long.parseUnsignedLong(m.group(1), 16),
                        Long.parseUnsignedLong(m.group(3), 16), Long.parseUnsignedLong(m.group(4), 16),
                        expected.size()});
                flags.add(m.group(5));
            }
        }
        assertThat(expected).hasSizeGreaterThan(20);
        List<long[]> sorted = new ArrayList<>(expected);
        sorted.sort(Comparator.comparing((long[] a) -> a[0], Long::compareUnsigned));
        try (CoreFile c = CoreFile.open(p)) {
            assertThat(c.segments()).hasSize(expected.size());
            for (int i = 0; i < sorted.size(); i++) {
                Segment s = c.segments().get(i);
                long[] e = sorted.get(i);
                assertThat(new long[] {s.vaddr(), s.fileOffset(), s.fileSize(), s.memSize()})
                        .as("segment %d", i).containsExactly(e[0], e[1], e[2], e[3]);
                String f = flags.get((int) e[4]);
                assertThat(s.perms()).isEqualTo((f.charAt(0) == 'R' ? "r" : "-") + (f.charAt(1) == 'W' ? "w" : "-")
                        + (f.charAt(2) == 'E' ? "x" : "-"));
                assertThat(s.truncated()).isFalse();
            }
            assertThat(c.warnings()).isEmpty();
            assertThat(c.writer()).isEqualTo(kind.equals("kernel") ? "kernel" : "gdb");
        }
    }

    private static final Pattern NOTE = Pattern.compile("^\\s{2}(\\S+)\\s+0x(\\p{XDigit}+)\\s+(\\S+).*$");
    private static final Pattern FILE_ROW = Pattern.compile("^\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s*$");

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "gcore"})
    void notesMatchLlvmReadelf(String kind) {
        Path p = core(kind);
        List<String> out = TestCores.lines(TestCores.run("llvm-readelf", "-n", p.toString()));
        List<String> expected = new ArrayList<>();
        List<FileMapping> files = new ArrayList<>();
        long pageSize = -1;
        for (int i = 0; i < out.size(); i++) {
            String line = out.get(i);
            Matcher m = NOTE.matcher(line);
            if (m.matches() && !line.contains("Owner")) {
                String type = m.group(3);
                expected.add(m.group(1) + " " + Long.parseLong(m.group(2), 16) + " " + type);
            }
            if (line.trim().startsWith("Page size:")) {
                pageSize = Long.parseLong(line.trim().substring("Page size:".length()).trim());
            }
            Matcher f = FILE_ROW.matcher(line);
            if (f.matches()) {
                files.add(new FileMapping(Long.parseUnsignedLong(f.group(1), 16), Long.parseUnsignedLong(f.group(2), 16),
                        Long.parseUnsignedLong(f.group(3), 16) * pageSize, out.get(i + 1).trim()));
            }
        }
        try (CoreFile c = CoreFile.open(p)) {
            List<String> ours = new ArrayList<>();
            for (Note n : c.notes()) {
                String t = n.typeName();
                ours.add(n.name() + " " + n.descSize() + " " + t);
            }
            // llvm-readelf names unknown types "Unknown"; compare names where it knows them.
            assertThat(ours).hasSize(expected.size());
            for (int i = 0; i < ours.size(); i++) {
                String[] e = expected.get(i).split(" ");
                String[] o = ours.get(i).split(" ");
                assertThat(o[0] + " " + o[1]).as("note %d", i).isEqualTo(e[0] + " " + e[1]);
                if (e[2].startsWith("NT_") && !e[2].equals("NT_X86_XSTATE") || o[2].startsWith("NT_PR")) {
                    assertThat(o[2]).as("note %d type", i).isEqualTo(e[2]);
                }
            }
            assertThat(files).hasSizeGreaterThan(10);
            assertThat(c.fileMappings()).containsExactlyElementsOf(files);
            assertThat(c.fileMappings()).anyMatch(f -> f.path().endsWith("/node"));
        }
    }

    private static final Pattern GDB_THREAD = Pattern.compile("^Thread \\d+ \\(Thread 0x\\p{XDigit}+ \\(LWP (\\d+)\\)\\):$");
    private static final Pattern GDB_REG = Pattern.compile("^(rip|rsp|rbp)\\s+0x(\\p{XDigit}+)\\s.*$");

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "gcore"})
    void threadsAndRegistersMatchGdb(String kind) throws IOException {
        Path p = core(kind);
        String out = TestCores.run("gdb", "-nx", "-batch", "-ex", "set pagination off",
                "-ex", "thread apply all info registers rip rsp rbp", "-ex", "info threads", TestCores.node(), p.toString());
        Map<Integer, Map<String, Long>> gdb = new HashMap<>();
        Integer tid = null;
        int firstInfoThreadsLwp = -1;
        for (String line : TestCores.lines(out)) {
            Matcher t = GDB_THREAD.matcher(line);
            if (t.matches()) {
                tid = Integer.parseInt(t.group(1));
                gdb.put(tid, new HashMap<>());
            }
            Matcher r = GDB_REG.matcher(line);
            if (r.matches() && tid != null) {
                gdb.get(tid).put(r.group(1), Long.parseUnsignedLong(r.group(2), 16));
            }
            Matcher star = Pattern.compile("^\\*\\s+1\\s+Thread 0x\\p{XDigit}+ \\(LWP (\\d+)\\).*").matcher(line);
            if (star.matches()) {
                firstInfoThreadsLwp = Integer.parseInt(star.group(1));
            }
        }
        try (CoreFile c = CoreFile.open(p)) {
            assertThat(c.threads()).hasSize(gdb.size()).hasSizeGreaterThan(1);
            for (ThreadState ts : c.threads()) {
                Map<String, Long> g = gdb.get(ts.tid());
                assertThat(g).as("gdb knows thread %d", ts.tid()).isNotNull();
                assertThat(ts.pc()).as("rip of %d", ts.tid()).isEqualTo(g.get("rip"));
                assertThat(ts.sp()).as("rsp of %d", ts.tid()).isEqualTo(g.get("rsp"));
                assertThat(ts.fp()).as("rbp of %d", ts.tid()).isEqualTo(g.get("rbp"));
                assertThat(ts.register("rip")).isEqualTo(ts.pc());
            }
            // gdb's thread 1 is the first NT_PRSTATUS (the kernel writes the dumping thread first).
            assertThat(c.threads().get(0).tid()).isEqualTo(firstInfoThreadsLwp);
            ProcessInfo pi = c.processInfo().orElseThrow();
            assertThat(pi.command()).isEqualTo("node");
            assertThat(pi.pid()).isEqualTo(c.threads().get(0).tid());
            if (kind.equals("kernel")) {
                assertThat(c.signalInfo().orElseThrow().signo()).isEqualTo(6);
                assertThat(c.threads()).allMatch(ts -> ts.signal() == 6);
                assertThat(pi.args()).startsWith("node ").contains("orders-service.js");
                // the test app's command line is longer than the 79 bytes the kernel keeps: gdb prints those bytes
                // (less the blank a cut right after an argument leaves), and so do we, marked as cut
                Matcher gen = Pattern.compile("(?m)^Core was generated by `(.*)'\\.$").matcher(
                        TestCores.run("gdb", "-nx", "-batch", TestCores.node(), p.toString()));
                assertThat(gen.find()).as("gdb names the command line").isTrue();
                String g = gen.group(1); // read as ISO-8859-1: a char per byte
                assertThat(g.length()).as("bytes gdb shows").isBetween(78, 79);
                // BFD (gdb) drops one trailing blank of pr_psargs: where the cut fell just after an argument (it
                // depends on the clone's path) gdb shows 78 bytes. The core's own bytes say which: gdb's text, then
                // that blank or not, then pr_psargs' NUL.
                String field = psargsField(p, g);
                assertThat(field).as("pr_psargs in the core").hasSize(79).isEqualTo(g.length() == 79 ? g : g + " ");
                // the bytes are UTF-8 (a clone's path may hold any character)
                String text = new String(field.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(pi.args()).isEqualTo(text.stripTrailing() + "…");
            }
        }
    }

    private static final Pattern NOTE_SEGMENT = Pattern.compile(
            "(?m)^\\s*NOTE\\s+0x(\\p{XDigit}+)\\s+0x\\p{XDigit}+\\s+0x\\p{XDigit}+\\s+0x(\\p{XDigit}+)\\s");

    /** pr_psargs as the core holds it: {@code shown} found in the PT_NOTE segment readelf names, up to the field's NUL. */
    private static String psargsField(Path core, String shown) throws IOException {
        Matcher m = NOTE_SEGMENT.matcher(TestCores.run("readelf", "-lW", core.toString()));
        assertThat(m.find()).as("readelf names a PT_NOTE").isTrue();
        byte[] b = new byte[Integer.parseInt(m.group(2), 16)];
        try (RandomAccessFile f = new RandomAccessFile(core.toFile(), "r")) {
            f.seek(Long.parseLong(m.group(1), 16));
            f.readFully(b);
        }
        String notes = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = notes.indexOf(shown);
        assertThat(at).as("gdb's command line in the PT_NOTE segment").isNotNegative();
        return notes.substring(at, notes.indexOf('\0', at));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "gcore"})
    void memoryReadsMatchGdb(String kind) {
        Path p = core(kind);
        try (CoreFile c = CoreFile.open(p)) {
            List<Long> addrs = new ArrayList<>();
            for (ThreadState ts : c.threads()) {
                addrs.add(ts.sp());
            }
            // a word in the middle of the largest writable segment, and one at its end
            Segment big = c.segments().stream().filter(s -> (s.flags() & Segment.PF_W) != 0 && s.fileSize() == s.memSize())
                    .max(Comparator.comparingLong(Segment::memSize)).orElseThrow();
            addrs.add(big.vaddr() + (big.memSize() / 2 & ~7L));
            addrs.add(big.end() - 16);
            List<String> args = new ArrayList<>(List.of("gdb", "-nx", "-batch"));
            for (long a : addrs) {
                args.add("-ex");
                args.add("x/2gx 0x" + Long.toHexString(a));
            }
            args.add(TestCores.node());
            args.add(p.toString());
            List<Long> gdbWords = new ArrayList<>();
            for (String line : TestCores.lines(TestCores.run(args.toArray(String[]::new)))) {
                Matcher m = Pattern.compile("^0x\\p{XDigit}+(?: <[^>]*>)?:\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s*$").matcher(line);
                if (m.matches()) {
                    gdbWords.add(Long.parseUnsignedLong(m.group(1), 16));
                    gdbWords.add(Long.parseUnsignedLong(m.group(2), 16));
                }
            }
            assertThat(gdbWords).hasSize(addrs.size() * 2);
            for (int i = 0; i < addrs.size(); i++) {
                long a = addrs.get(i);
                assertThat(c.readLong(a)).as("0x%x", a).isEqualTo(gdbWords.get(2 * i));
                assertThat(c.readLong(a + 8)).as("0x%x", a + 8).isEqualTo(gdbWords.get(2 * i + 1));
                assertThat(c.readInt(a + 4)).isEqualTo((int) (gdbWords.get(2 * i) >>> 32));
                assertThat(c.isMapped(a)).isTrue();
            }
            // AT_EXECFN points at the executable's path on the stack
            long execfn = c.auxv().stream().filter(e -> e.name().equals("AT_EXECFN")).findFirst().orElseThrow().value();
            assertThat(c.readCString(execfn, 4096)).endsWith("node");
        }
    }

    @Test
    void zeroFillsBeyondFileSizeAndReadsAcrossAdjacentSegments(@TempDir Path dir) throws IOException {
        byte[] a = new byte[4096];
        java.util.Arrays.fill(a, (byte) 0x11);
        byte[] b = new byte[4096];
        java.util.Arrays.fill(b, (byte) 0x22);
        SyntheticCore sc = new SyntheticCore();
        sc.note("CORE", Note.NT_PRSTATUS, SyntheticCore.prstatus(336, 42, 1, 11, new long[27]));
        sc.load(0x10000, a, 0x2000, 6).load(0x12000, b, 0x1000, 4).load(0x7fff0000L, new byte[0], 0x1000, 4);
        Path p = sc.write(dir.resolve("core"));
        try (CoreFile c = CoreFile.open(p)) {
            byte[] buf = new byte[0x3000];
            assertThat(c.read(0x10000, buf, 0, buf.length)).isEqualTo(0x3000);
            assertThat(buf[0]).isEqualTo((byte) 0x11);
            assertThat(buf[4095]).isEqualTo((byte) 0x11);
            assertThat(buf[4096]).isZero();          // filesz < memsz: zeros
            assertThat(buf[0x1fff]).isZero();
            assertThat(buf[0x2000]).isEqualTo((byte) 0x22); // next segment starts exactly where the first ends
            assertThat(c.read(0x12ff0, buf, 0, 100)).isEqualTo(16); // stops at the unmapped gap
            assertThat(c.read(0x20000, buf, 0, 8)).isZero();
            assertThat(c.isMapped(0x20000)).isFalse();
            assertThat(c.readLong(0x7fff0008L)).isZero();
            assertThat(c.readLong(0x10ff8)).isEqualTo(0x1111111111111111L);
            assertThat(c.readLong(0x10ffc)).isEqualTo(0x0000000011111111L);
            assertThatThrownBy(() -> c.readLong(0x12ffc)).isInstanceOf(UnreadableAddressException.class)
                    .hasMessageContaining("0x13000");
            assertThat(c.threads().get(0).tid()).isEqualTo(42);
            assertThat(c.threads().get(0).signal()).isEqualTo(11);
        }
    }

    @Test
    void readsAnAarch64CoreBySpec(@TempDir Path dir) throws IOException {
        long[] regs = new long[34];
        for (int i = 0; i < 31; i++) {
            regs[i] = 0x1000 + i;             // x0..x30
        }
        regs[31] = 0xffffc0de0000L;           // sp
        regs[32] = 0xaaaabbbb1234L;           // pc
        regs[33] = 0x60000000L;               // pstate
        SyntheticCore sc = new SyntheticCore();
        sc.machine = 183;
        sc.note("CORE", Note.NT_PRSTATUS, SyntheticCore.prstatus(392, 501, 500, 6, regs))
                .note("CORE", Note.NT_PRPSINFO, SyntheticCore.prpsinfo(501, 500, 1000, "node", "node server.js"))
                .load(0xffffc0de0000L, new byte[4096], 4096, 6);
        Path p = sc.write(dir.resolve("core.arm"));
        try (CoreFile c = CoreFile.open(p)) {
            assertThat(c.machine()).isEqualTo(Machine.AARCH64);
            ThreadState t = c.threads().get(0);
            assertThat(t.tid()).isEqualTo(501);
            assertThat(t.pc()).isEqualTo(0xaaaabbbb1234L);
            assertThat(t.sp()).isEqualTo(0xffffc0de0000L);
            assertThat(t.fp()).isEqualTo(0x1000 + 29);
            assertThat(t.register("x30")).isEqualTo(0x1000 + 30);
            assertThat(t.register("pstate")).isEqualTo(0x60000000L);
            assertThat(c.processInfo().orElseThrow().args()).isEqualTo("node server.js");
            assertThat(c.processInfo().orElseThrow().uid()).isEqualTo(1000);
            assertThat(c.warnings()).isEmpty();
        }
    }

    @Test
    void smallMappingWindowsReadTheSameMemoryAndStrings() throws IOException {
        // A real core read through 1 MiB + 5 windows: every window edge falls somewhere inside segments.
        Path p = TestCores.kernel();
        try (CoreFile big = CoreFile.open(p); CoreFile small = CoreFile.open(p, (1 << 20) + 5)) {
            java.util.Random r = new java.util.Random(3);
            byte[] a = new byte[70_000];
            byte[] b = new byte[70_000];
            int checked = 0;
            for (Segment s : big.segments()) {
                if (s.present() < 16) {
                    continue;
                }
                for (int k = 0; k < 20; k++) {
                    long at = s.vaddr() + (long) (r.nextDouble() * (s.memSize() - 8));
                    assertThat(small.readLong(at)).as("0x%x", at).isEqualTo(big.readLong(at));
                    int n = big.read(at, a, 0, a.length);
                    assertThat(small.read(at, b, 0, b.length)).isEqualTo(n);
                    assertThat(java.util.Arrays.equals(a, 0, n, b, 0, n)).isTrue();
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(500);
            StringScanner.Query q = new StringScanner.Query(StringScanner.Encoding.ASCII, 4, null, false, true);
            StringScanner.Hits hb = new StringScanner(big.fileWindows()).scan(new long[] {0}, new long[] {big.fileSize()}, q, null);
            StringScanner.Hits hs = new StringScanner(small.fileWindows(), 2, 300_007, 1000)
                    .scan(new long[] {0}, new long[] {small.fileSize()}, q, null);
            assertThat(hs.offsets).isEqualTo(hb.offsets);
            assertThat(hs.texts).isEqualTo(hb.texts);
        }
    }

    @Test
    void programHeaderCountFromSectionZeroWhenPnXnum(@TempDir Path dir) throws IOException {
        SyntheticCore sc = new SyntheticCore();
        sc.pnXnum = true;
        sc.note("CORE", Note.NT_PRSTATUS, SyntheticCore.prstatus(336, 5, 1, 6, new long[27]))
                .note("CORE", Note.NT_PRPSINFO, SyntheticCore.prpsinfo(5, 1, 0, "node", "node big.js"));
        for (int i = 0; i < 5; i++) {
            sc.load(0x10000L * (i + 1), new byte[] {(byte) i, 1, 2, 3, 4, 5, 6, 7}, 8, 4);
        }
        Path p = sc.write(dir.resolve("core.xnum"));
        assertThat(TestCores.run("readelf", "-lW", p.toString())).contains("There are 6 program headers");
        try (CoreFile c = CoreFile.open(p)) {
            assertThat(c.segments()).hasSize(5);
            assertThat(c.readByte(0x30000)).isEqualTo((byte) 2);
            assertThat(c.threads()).hasSize(1);
            assertThat(c.warnings()).isEmpty();
        }
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void missingFile(@TempDir Path dir) {
        Path p = dir.resolve("nope.core");
        assertThatThrownBy(() -> CoreFile.open(p)).isInstanceOf(CoreFormatException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("no such file");
    }

    @Test
    void directory(@TempDir Path dir) {
        assertThatThrownBy(() -> CoreFile.open(dir)).isInstanceOf(CoreFormatException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("is a directory");
    }

    @Test
    void emptyFile(@TempDir Path dir) throws IOException {
        Path p = Files.createFile(dir.resolve("empty.core"));
        assertThatThrownBy(() -> CoreFile.open(p)).isInstanceOf(CoreFormatException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("empty file").hasMessageContaining("0x0");
    }

    @Test
    void notAnElf(@TempDir Path dir) throws IOException {
        Path p = Files.writeString(dir.resolve("notes.txt"), "NOTANELF, just text\n");
        assertThatThrownBy(() -> CoreFile.open(p)).isInstanceOf(CoreFormatException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("not an ELF file")
                .hasMessageContaining("4e 4f 54 41").hasMessageContaining("expected 7f 45 4c 46")
                .hasMessageContaining("at 0x0");
    }

    @Test
    void wrongClass(@TempDir Path dir) throws IOException {
        SyntheticCore sc = new SyntheticCore();
        sc.elfClass = 1;
        Path p = sc.write(dir.resolve("core32"));
        assertThatThrownBy(() -> CoreFile.open(p)).isInstanceOf(CoreFormatException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("32-bit")
                .hasMessageContaining("expected 2 (ELFCLASS64)").hasMessageContaining("at 0x4");
    }

    @Test
    void wrongEndianness(@TempDir Path dir) throws IOException {
        SyntheticCore sc = new SyntheticCore();
        sc.elfData = 2;
        Path p = sc.write(dir.resolve("core.be"));
        assertThatThrownBy(() -> CoreFile.open(p)).isInstanceOf(CoreFormatException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("big-endian")
                .hasMessageContaining("expected 1 (little-endian)").hasMessageContaining("at 0x5");
    }

    @Test
    void anExecutableIsNotACore() {
        Path node = Path.of(TestCores.node());
        assertThatThrownBy(() -> CoreFile.open(node)).isInstanceOf(CoreFormatException.class)
                .hasMessageContaining(node.toString()).hasMessageContaining("e_type is")
                .hasMessageContaining("expected 4 (ET_CORE)").hasMessageContaining("at 0x10");
    }

    @Test
    void damagedNoteKeepsTheNotesBeforeIt(@TempDir Path dir) throws IOException {
        SyntheticCore sc = new SyntheticCore();
        sc.note("CORE", Note.NT_PRSTATUS, SyntheticCore.prstatus(336, 7, 1, 6, new long[27]))
                .note("CORE", Note.NT_PRPSINFO, SyntheticCore.prpsinfo(7, 1, 0, "node", "node app.js"))
                .load(0x400000, new byte[4096], 4096, 5);
        byte[] bytes = sc.bytes();
        // second note's descsz (at note start + 12 + 8 + 336 + 4) := 0x7fffffff
        int noteOff = 64 + 56 * 2;
        int second = noteOff + 12 + 8 + 336;
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(second + 4, 0x7fffffff);
        Path p = Files.write(dir.resolve("core.damaged"), bytes);
        try (CoreFile c = CoreFile.open(p)) {
            assertThat(c.notes()).hasSize(1);
            assertThat(c.threads()).hasSize(1);
            assertThat(c.processInfo()).isEmpty();
            assertThat(c.warnings()).anySatisfy(w -> {
                assertThat(w.offset()).isEqualTo(second);
                assertThat(w.structure()).isEqualTo("note 1");
                assertThat(w.message()).contains("damaged note").contains("descsz 2147483647")
                        .contains("past the end of PT_NOTE");
            });
        }
    }

    @Test
    void shortDescriptorIsAWarningNotACrash(@TempDir Path dir) throws IOException {
        SyntheticCore sc = new SyntheticCore();
        sc.note("CORE", Note.NT_PRSTATUS, new byte[40]).load(0x400000, new byte[4096], 4096, 5);
        Path p = sc.write(dir.resolve("core.short"));
        try (CoreFile c = CoreFile.open(p)) {
            assertThat(c.threads()).isEmpty();
            assertThat(c.warnings()).anySatisfy(w -> assertThat(w.toString()).contains("note 0 (NT_PRSTATUS)")
                    .contains("descriptor is 40 bytes, expected at least 112"));
        }
    }

    @Test
    void ptLoadPastEndOfFile(@TempDir Path dir) throws IOException {
        SyntheticCore sc = new SyntheticCore();
        sc.note("CORE", Note.NT_PRSTATUS, SyntheticCore.prstatus(336, 7, 1, 6, new long[27]))
                .load(0x400000, new byte[4096], 4096, 5).load(0x500000, new byte[4096], 4096, 6);
        sc.firstLoadOffsetOverride = 0x10_0000_0000L;
        Path p = sc.write(dir.resolve("core.pastEof"));
        try (CoreFile c = CoreFile.open(p)) {
            assertThat(c.segments()).hasSize(2);
            assertThat(c.segments().get(0).truncated()).isTrue();
            assertThat(c.warnings()).anySatisfy(w -> assertThat(w.message()).contains("core truncated")
                    .contains("0x1000001000").contains("file ends at 0x"));
            assertThat(c.read(0x400000, new byte[8], 0, 8)).isZero();
            assertThatThrownBy(() -> c.readLong(0x400000)).isInstanceOf(UnreadableAddressException.class)
                    .hasMessageContaining(p.toString()).hasMessageContaining("0x400000").hasMessageContaining("truncation");
            assertThat(c.readLong(0x500000)).isZero();
        }
    }

    @Test
    void programHeadersPastEndOfFile(@TempDir Path dir) throws IOException {
        SyntheticCore sc = new SyntheticCore();
        sc.note("CORE", Note.NT_PRSTATUS, SyntheticCore.prstatus(336, 7, 1, 6, new long[27]));
        byte[] b = sc.bytes();
        Path p = Files.write(dir.resolve("core.cut"), java.util.Arrays.copyOf(b, 100));
        assertThatThrownBy(() -> CoreFile.open(p)).isInstanceOf(CoreFormatException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("program headers")
                .hasMessageContaining("file ends at 0x64").hasMessageContaining("at 0x40");
    }

    @Test
    void truncatedRealCoreOpensWithWarnings(@TempDir Path dir) throws IOException {
        Path src = TestCores.kernel();
        long cut = Files.size(src) * 6 / 10;
        Path p = dir.resolve("core.truncated");
        try (var in = Files.newInputStream(src); var out = Files.newOutputStream(p)) {
            byte[] buf = new byte[1 << 20];
            long left = cut;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                out.write(buf, 0, n);
                left -= n;
            }
        }
        try (CoreFile full = CoreFile.open(src); CoreFile c = CoreFile.open(p)) {
            assertThat(c.threads()).hasSameSizeAs(full.threads());
            assertThat(c.segments()).hasSameSizeAs(full.segments());
            assertThat(c.warnings()).anySatisfy(w -> assertThat(w.message()).contains("core truncated")
                    .contains("file ends at 0x" + Long.toHexString(cut)));
            assertThat(c.warnings()).anySatisfy(w -> assertThat(w.message()).containsPattern("\\d+ % of dumped memory readable"));
            // what is present reads the same; what is cut is reported, never zeros
            Segment lastWhole = null;
            Segment cutOne = null;
            for (Segment s : c.segments()) {
                if (s.fileSize() > 0 && !s.truncated()) {
                    lastWhole = s;
                }
                if (s.truncated() && s.present() == 0) {
                    cutOne = s;
                }
            }
            assertThat(lastWhole).isNotNull();
            assertThat(cutOne).isNotNull();
            assertThat(c.readLong(lastWhole.vaddr())).isEqualTo(full.readLong(lastWhole.vaddr()));
            Segment cs = cutOne;
            assertThatThrownBy(() -> c.readLong(cs.vaddr())).isInstanceOf(UnreadableAddressException.class);
        }
    }

    @Test
    void truncatedInsideHeaderIsAClearError(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("core.tiny");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
        }
        assertThatThrownBy(() -> CoreFile.open(p)).isInstanceOf(CoreFormatException.class)
                .hasMessageContaining("10 bytes, shorter than the 64-byte ELF64 header");
    }
}
