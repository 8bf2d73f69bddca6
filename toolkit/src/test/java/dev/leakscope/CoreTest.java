package dev.leakscope;

import dev.leakscope.core.CoreFile;
import dev.leakscope.core.TestCores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tech.tablesaw.api.Table;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Core DSL on real cores of the example app, checked against GNU strings, grep, python and gdb. */
class CoreTest {

    static Path core(String kind) {
        return kind.equals("kernel") ? TestCores.kernel() : TestCores.gcore();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "gcore"})
    void stringsAreExactlyGnuStringsA(String kind) {
        Path p = core(kind);
        List<String> gnu = TestCores.lines(TestCores.run("cat", TestCores.gnuStrings(p).toString()));
        try (Core c = Core.open(p)) {
            List<String> ours = c.strings().texts();
            assertThat(ours.size()).isEqualTo(gnu.size()).isGreaterThan(10_000);
            assertThat(ours).isEqualTo(gnu);
            assertThat(c.strings().count()).isEqualTo(gnu.size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "gcore"})
    void utf16IsExactlyGnuStringsEl(String kind) {
        Path p = core(kind);
        List<String> gnu = TestCores.lines(TestCores.run("cat", TestCores.gnuStrings(p, "-el").toString()));
        try (Core c = Core.open(p)) {
            assertThat(gnu).hasSizeGreaterThan(50);
            assertThat(c.strings().utf16().texts()).isEqualTo(gnu);
            assertThat(c.strings().utf16().count()).isEqualTo(gnu.size());
            assertThat(c.strings().bothEncodings().count()).isEqualTo(gnu.size() + c.strings().count());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "gcore"})
    void grepAndRecipesMatchTheSeedsPipelines(String kind) {
        Path p = core(kind);
        String q = "'" + TestCores.gnuStrings(p) + "'";
        try (Core c = Core.open(p)) {
            List<String> errors = TestCores.lines(TestCores.sh("cat " + q + " | grep -E '(Error|ENOMEM|EMFILE|leak)'"));
            assertThat(errors).hasSizeGreaterThan(100);
            assertThat(c.strings().grep("(Error|ENOMEM|EMFILE|leak)").texts()).isEqualTo(errors);
            assertThat(c.strings().grep("(Error|ENOMEM|EMFILE|leak)").count()).isEqualTo(errors.size());
            assertThat(sum(c.strings().errors())).isEqualTo(errors.size());

            long uuids = Long.parseLong(TestCores.sh("cat " + q
                    + " | grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' | wc -l").trim());
            assertThat(uuids).isGreaterThan(100);
            assertThat(sum(c.strings().uuids())).isEqualTo(uuids);

            long sockets = Long.parseLong(TestCores.sh("cat " + q
                    + " | grep -cE '(Socket|Stream|Pool|Agent|keepAlive)'").trim());
            assertThat(sum(c.strings().sockets())).isEqualTo(sockets);
            // sort | uniq -c | sort -rn: the most frequent line and its count
            String top = TestCores.sh("cat " + q + " | grep -E '(Socket|Stream|Pool|Agent|keepAlive)' | sort | uniq -c | sort -rn | head -1").trim();
            assertThat(c.strings().sockets().intColumn("count").get(0)).isEqualTo(Integer.parseInt(top.split(" ")[0]));

            long codes = Long.parseLong(TestCores.sh("cat " + q
                    + " | grep -oE '(ECONNRESET|ETIMEDOUT|ENOTFOUND|ECONNREFUSED|EPIPE|EMFILE|ENOMEM)' | wc -l").trim());
            Table ec = c.strings().errorCodes();
            long ours = 0;
            for (int r = 0; r < ec.rowCount(); r++) {
                if (ec.stringColumn("match").get(r).matches("ECONNRESET|ETIMEDOUT|ENOTFOUND|ECONNREFUSED|EPIPE|EMFILE|ENOMEM")) {
                    ours += ec.intColumn("count").get(r);
                }
            }
            // \b in ours: a code glued to letters (EMFILEX) is not a code; grep -o counts it, so ours ≤ grep's
            assertThat(ours).isPositive().isLessThanOrEqualTo(codes);
            assertThat(ec.stringColumn("match").asList()).contains("EMFILE");

            long mem = Long.parseLong(TestCores.sh("cat " + q
                    + " | grep -cE '(heapTotal|heapUsed|external|arrayBuffers|rss):'").trim());
            Table ms = c.strings().memoryStats();
            assertThat(ms.rowCount()).isPositive();
            assertThat(new HashSet<>(ms.longColumn("offset").asList()).size()).isLessThanOrEqualTo((int) mem);
            assertThat(ms.stringColumn("key").asSet()).contains("rss", "heapUsed");

            long modLines = Long.parseLong(TestCores.sh("cat " + q + " | grep -cE 'node_modules/.+\\.js' || true").trim());
            assertThat(c.strings().grep("node_modules/.+\\.js").count()).isEqualTo(modLines);
        }
    }

    static long sum(Table t) {
        return (long) t.intColumn("count").sum();
    }

    @Test
    void tableRowsKnowTheirOffsetAddressAndRegion() {
        Path p = TestCores.kernel();
        try (Core c = Core.open(p)) {
            Table t = c.strings().grep("EMFILE").table();
            List<String> gnu = TestCores.lines(TestCores.sh("strings -a -t d '" + p + "' | grep -E 'EMFILE'"));
            assertThat(t.rowCount()).isEqualTo(gnu.size()).isPositive();
            List<String> addrs = new ArrayList<>();
            for (int r = 0; r < t.rowCount(); r++) {
                String line = gnu.get(r).trim();
                assertThat(t.longColumn("offset").get(r)).isEqualTo(Long.parseLong(line.substring(0, line.indexOf(' '))));
                String a = t.stringColumn("address").get(r);
                if (!a.isEmpty() && addrs.size() < 5) {
                    addrs.add(a);
                    byte[] text = t.stringColumn("text").get(r).getBytes(StandardCharsets.ISO_8859_1);
                    assertThat(c.file().readBytes(Long.decode(a), text.length)).isEqualTo(text);
                }
                assertThat(t.stringColumn("encoding").get(r)).isEqualTo("ascii");
            }
            // gdb reads the same text at the same addresses
            List<String> args = new ArrayList<>(List.of("gdb", "-nx", "-batch"));
            for (String a : addrs) {
                args.add("-ex");
                args.add("x/s " + a);
            }
            args.add(TestCores.node());
            args.add(p.toString());
            String out = TestCores.run(args.toArray(String[]::new));
            for (String a : addrs) {
                assertThat(out).contains(a + ":").contains("EMFILE");
            }
            assertThat(t.stringColumn("region").asSet()).isNotEmpty().doesNotContain("");
        }
    }

    @Test
    void unicodeFindsTheAppsCyrillicAndCjkCustomerNames() {
        Path p = TestCores.kernel();
        try (Core c = Core.open(p)) {
            Table u = c.strings().unicode().table();
            assertThat(u.stringColumn("encoding").asSet()).containsExactly("unicode");
            for (String name : List.of("Иван Петров", "Мария Соколова", "佐藤花子")) {
                // how many times the name's UTF-16LE bytes occur at even offsets, counted by python
                long expected = Long.parseLong(TestCores.run("python3", "-c",
                        "import mmap,sys\nf=open(sys.argv[1],'rb');m=mmap.mmap(f.fileno(),0,access=mmap.ACCESS_READ)\n"
                                + "p=sys.argv[2].encode('ascii').decode('unicode_escape').encode('utf-16le');i=m.find(p);n=0\n"
                                + "while i>=0:\n  n+=(i%2==0)\n  i=m.find(p,i+1)\nprint(n)", p.toString(), escaped(name)).trim());
                long ours = sumMatches(c.strings().unicode().extract(Pattern.quote(name)));
                assertThat(expected).as(name).isPositive();
                assertThat(ours).as(name).isEqualTo(expected);
                assertThat(c.strings().utf16().grep(Pattern.quote(name)).count()).isZero(); // strings -el cannot see it
            }
        }
    }

    /** {@code s} as ASCII \\uXXXX escapes: a process argument survives any locale (the JVM encodes arguments in it). */
    static String escaped(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(String.format("\\u%04x", c)));
        return b.toString();
    }

    static long sumMatches(Table t) {
        return t.rowCount() == 0 ? 0 : (long) t.intColumn("count").sum();
    }

    @Test
    void stringsInARegionStayInIt() {
        try (Core c = Core.open(TestCores.kernel())) {
            Table t = c.strings().in("[stack]").table();
            assertThat(t.rowCount()).isPositive();
            assertThat(t.stringColumn("region").asSet()).containsExactly("[stack]");
            assertThat(c.regions().stringColumn("mapping").asList()).contains("[stack]", "[heap]", TestCores.node());
            long inAll = c.strings().in(s -> true).count();
            assertThat(inAll).isLessThanOrEqualTo(c.strings().count() + c.file().segments().size());
        }
    }

    private static final Pattern GDB_THREAD = Pattern.compile("^\\*?\\s+(\\d+)\\s+Thread 0x\\p{XDigit}+ \\(LWP (\\d+)\\).*");

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "gcore"})
    void infoThreadsRegistersAgreeWithGdbAndReadelf(String kind) {
        Path p = core(kind);
        String gdb = TestCores.run("gdb", "-nx", "-batch", "-ex", "info threads", "-ex", "info registers",
                TestCores.node(), p.toString());
        List<int[]> gdbThreads = new ArrayList<>();
        for (String line : TestCores.lines(gdb)) {
            Matcher m = GDB_THREAD.matcher(line);
            if (m.matches()) {
                gdbThreads.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
            }
        }
        long loads = TestCores.lines(TestCores.run("readelf", "-lW", p.toString())).stream()
                .filter(l -> l.trim().startsWith("LOAD")).count();
        try (Core c = Core.open(p)) {
            Table info = c.info();
            assertThat(info.rowCount()).isEqualTo(1);
            assertThat(info.intColumn("threads").get(0)).isEqualTo(gdbThreads.size());
            assertThat(info.intColumn("regions").get(0)).isEqualTo((int) loads);
            assertThat(info.stringColumn("command").get(0)).isEqualTo("node");
            assertThat(info.stringColumn("writer").get(0)).isEqualTo(kind.equals("kernel") ? "kernel" : "gdb");
            assertThat(info.stringColumn("signal").get(0)).isEqualTo(kind.equals("kernel") ? "SIGABRT" : "");
            if (kind.equals("kernel")) {
                assertThat(gdb).contains("Program terminated with signal SIGABRT");
            }
            Table th = c.threads();
            for (int[] g : gdbThreads) {
                int row = g[0] - 1;
                assertThat(th.intColumn("thread").get(row)).isEqualTo(g[0]);
                assertThat(th.intColumn("tid").get(row)).as("gdb thread %d", g[0]).isEqualTo(g[1]);
            }
            // info registers of the current thread (1)
            Table regs = c.registers();
            int tid1 = th.intColumn("tid").get(0);
            for (String line : TestCores.lines(gdb)) {
                Matcher m = Pattern.compile("^(r[a-z0-9]+|eflags|fs_base|gs_base)\\s+0x(\\p{XDigit}+)\\s.*").matcher(line);
                if (m.matches()) {
                    String reg = m.group(1);
                    Table row = regs.where(regs.intColumn("tid").isEqualTo(tid1).and(regs.stringColumn("register").isEqualTo(reg)));
                    assertThat(row.rowCount()).as(reg).isEqualTo(1);
                    assertThat(row.stringColumn("value").get(0)).as(reg).isEqualTo("0x" + m.group(2));
                }
            }
            assertThat(c.files().rowCount()).isEqualTo(c.file().fileMappings().size()).isPositive();
            assertThat(c.auxv().stringColumn("text").asList()).anyMatch(s -> s.endsWith("node"));
            assertThat(c.warnings().rowCount()).isZero();
        }
    }

    @Test
    void compressedCoresAreDecompressedOnceIntoTheCacheNeverBesideTheInput(@TempDir Path dir) throws Exception {
        Path src = TestCores.kernel();
        Path cache = dir.resolve("cache");
        Path in = Files.createDirectories(dir.resolve("in"));
        long plainCount;
        try (Core c = Core.open(src)) {
            plainCount = c.strings().count();
        }
        String[][] tools = {{"gz", "gzip -1 -c"}, {"zst", "zstd -1 -q -c"}, {"xz", "xz -0 -T2 -c"}, {"lz4", "lz4 -1 -q -c"}};
        System.setProperty("leakscope.cache", cache.toString());
        try {
            for (String[] t : tools) {
                Path z = in.resolve("core.58." + t[0]);
                TestCores.sh(t[1] + " '" + src + "' > '" + z + "'");
                try (Core c = Core.open(z)) {
                    assertThat(c.path()).isEqualTo(z);
                    assertThat(c.file().path().getParent()).isEqualTo(cache);
                    assertThat(TestCores.run("cmp", src.toString(), c.file().path().toString())).isEmpty();
                    assertThat(c.strings().count()).isEqualTo(plainCount);
                    assertThat(c.info().intColumn("threads").get(0)).isPositive();
                }
                Path cached;
                long mtime;
                try (Core c = Core.open(z)) {
                    cached = c.file().path();
                    mtime = Files.getLastModifiedTime(cached).toMillis();
                }
                Thread.sleep(20);
                try (Core c = Core.open(z)) {
                    assertThat(c.file().path()).isEqualTo(cached);
                    assertThat(Files.getLastModifiedTime(cached).toMillis()).isEqualTo(mtime); // reused, not rewritten
                }
            }
            try (var s = Files.list(in)) {
                assertThat(s.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
                        "core.58.gz", "core.58.zst", "core.58.xz", "core.58.lz4");
            }
            // sparse: the kernel core's zeros became holes
            Path anyCached;
            try (var s = Files.list(cache)) {
                anyCached = s.filter(f -> f.toString().endsWith(".core")).findFirst().orElseThrow();
            }
            long blocks = Long.parseLong(TestCores.run("stat", "-c", "%b", anyCached.toString()).trim()) * 512;
            assertThat(blocks).isLessThanOrEqualTo(Files.size(anyCached));
        } finally {
            System.clearProperty("leakscope.cache");
        }
    }

    @Test
    void truncatedCoreStillScansLikeGnuStringsAndSaysWhatIsMissing(@TempDir Path dir) throws Exception {
        Path src = TestCores.kernel();
        Path cut = dir.resolve("core.cut");
        TestCores.sh("head -c " + (Files.size(src) / 2) + " '" + src + "' > '" + cut + "'");
        try (Core c = Core.open(cut)) {
            assertThat(c.warnings().rowCount()).isPositive();
            assertThat(c.warnings().stringColumn("message").asList()).anyMatch(m -> m.contains("core truncated"));
            long gnu = Long.parseLong(TestCores.sh("strings -a '" + cut + "' | wc -l").trim());
            assertThat(c.strings().count()).isEqualTo(gnu);
            assertThat(c.info().intColumn("warnings").get(0)).isPositive();
        }
    }

    @Test
    void coreFileIsReachableForLowLevelReads() {
        try (Core c = Core.open(TestCores.kernel())) {
            CoreFile f = c.file();
            assertThat(f.segments()).isNotEmpty();
            Set<String> labels = new HashSet<>(c.regions().stringColumn("mapping").asList());
            assertThat(labels).contains("[vdso]");
        }
    }
}
