package dev.leakscope.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scanner against GNU strings on bytes built to be hard: short and long runs, tabs, 0x7f, high bytes, NULs,
 * UTF-16 at both alignments, runs longer than a chunk — scanned with tiny chunks so that strings cross chunk
 * edges everywhere.
 */
class StringScannerTest {

    static byte[] tricky(long seed, int size) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        int i = 0;
        while (i < size) {
            int kind = r.nextInt(10);
            int n = 1 + r.nextInt(kind == 9 ? 3000 : kind == 4 ? 90 : 12); // long zero runs: cores are mostly zeros
            for (int k = 0; k < n && i < size; k++) {
                switch (kind) {
                    case 0: case 1: case 2: b[i++] = (byte) (0x20 + r.nextInt(0x5f)); break;   // printable
                    case 3: b[i++] = (byte) "\t\u007f\n\r\u0000\u00ff\u0080\u001f\u0020~".charAt(r.nextInt(10)); break;
                    case 4: b[i++] = 0; break;
                    case 5: // UTF-16LE printable
                        b[i++] = (byte) (0x20 + r.nextInt(0x5f));
                        if (i < size) {
                            b[i++] = 0;
                        }
                        break;
                    case 6: b[i++] = (byte) r.nextInt(256); break;
                    case 7: // two-byte text, odd junk
                        b[i++] = (byte) "Ab\t ".charAt(r.nextInt(4));
                        if (i < size) {
                            b[i++] = (byte) (r.nextInt(8) == 0 ? 1 : 0);
                        }
                        break;
                    case 8: b[i++] = 'E'; break;
                    default: b[i++] = (byte) "Error leak EMFILE ENOMEM xyz".charAt(r.nextInt(28)); break; // long runs
                }
            }
        }
        return b;
    }

    static List<String> gnu(Path p, String... opts) {
        List<String> cmd = new ArrayList<>(List.of("strings", "-a"));
        cmd.addAll(List.of(opts));
        cmd.add(p.toString());
        return TestCores.lines(TestCores.run(cmd.toArray(String[]::new)));
    }

    static List<String> ours(Path p, StringScanner.Encoding e, int min, Pattern grep, int chunk, int ext, int threads)
            throws IOException {
        try (FileWindows fw = new FileWindows(p, 1 << 16)) {
            StringScanner sc = new StringScanner(fw, threads, chunk, ext);
            StringScanner.Hits h = sc.scan(new long[] {0}, new long[] {fw.size()},
                    new StringScanner.Query(e, min, grep, false, true), null);
            assertThat(h.count).isEqualTo(h.texts.length);
            StringScanner.Hits c = sc.scan(new long[] {0}, new long[] {fw.size()},
                    new StringScanner.Query(e, min, grep, true, false), null);
            assertThat(c.count).as("count-only agrees").isEqualTo(h.count);
            return List.of(h.texts);
        }
    }

    @Test
    void asciiMatchesGnuStringsAcrossChunkEdges(@TempDir Path dir) throws IOException {
        for (long seed = 1; seed <= 6; seed++) {
            Path p = Files.write(dir.resolve("bytes" + seed), tricky(seed, 300_000));
            List<String> expected = gnu(p);
            assertThat(expected).hasSizeGreaterThan(200);
            for (int chunk : new int[] {1 << 20, 4093, 97}) {
                assertThat(ours(p, StringScanner.Encoding.ASCII, 4, null, chunk, 50, 2))
                        .as("seed %d chunk %d", seed, chunk).isEqualTo(expected);
            }
            List<String> expected8 = gnu(p, "-n", "8");
            assertThat(ours(p, StringScanner.Encoding.ASCII, 8, null, 777, 64, 2)).isEqualTo(expected8);
        }
    }

    @Test
    void utf16MatchesGnuStringsEl(@TempDir Path dir) throws IOException {
        for (long seed = 11; seed <= 16; seed++) {
            Path p = Files.write(dir.resolve("bytes" + seed), tricky(seed, 300_000));
            List<String> expected = gnu(p, "-el");
            assertThat(expected).hasSizeGreaterThan(100);
            for (int chunk : new int[] {1 << 20, 4093, 98, 97}) {
                assertThat(ours(p, StringScanner.Encoding.UTF16LE, 4, null, chunk, 50, 2))
                        .as("seed %d chunk %d", seed, chunk).isEqualTo(expected);
            }
        }
    }

    @Test
    void grepWithPrefilterMatchesStringsPipedToGrep(@TempDir Path dir) throws IOException {
        String[] regexes = {"(Error|ENOMEM|EMFILE|leak)", "leak", "ENOMEM|xyz E", "Err(or)? l", "EMFILE$", "^Error",
                "[0-9]{3}", "r{2}"};
        for (long seed = 21; seed <= 24; seed++) {
            Path p = Files.write(dir.resolve("bytes" + seed), tricky(seed, 300_000));
            for (String re : regexes) {
                List<String> expected = TestCores.lines(TestCores.sh("strings -a '" + p + "' | grep -E '" + re + "' || true"));
                for (int chunk : new int[] {1 << 20, 1021, 61}) {
                    assertThat(ours(p, StringScanner.Encoding.ASCII, 4, Pattern.compile(re), chunk, 40, 2))
                            .as("seed %d /%s/ chunk %d", seed, re, chunk).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void longRunsSpanningManyChunksAreFoundOnce(@TempDir Path dir) throws IOException {
        byte[] b = new byte[100_000];
        java.util.Arrays.fill(b, (byte) 'x');
        b[0] = 0;
        b[50_000] = 0;
        "..Error..".getBytes(StandardCharsets.US_ASCII); // literal inside a long run
        System.arraycopy("an Error here".getBytes(StandardCharsets.US_ASCII), 0, b, 70_000, 13);
        Path p = Files.write(dir.resolve("long"), b);
        assertThat(ours(p, StringScanner.Encoding.ASCII, 4, null, 1000, 10, 2)).isEqualTo(gnu(p)).hasSize(2);
        assertThat(ours(p, StringScanner.Encoding.ASCII, 4, Pattern.compile("Error"), 1000, 10, 2))
                .hasSize(1).first().asString().hasSize(49_999).contains("an Error here");
    }

    @Test
    void unicodeFindsTwoByteTextOfAnyScriptAndNotAsciiOrNoise(@TempDir Path dir) throws IOException {
        Random r = new Random(5);
        byte[] noise = new byte[200_000];
        r.nextBytes(noise);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(noise, 0, 100_000);
        String[] texts = {"{\"customer\":\"Иван Петров\"}", "日本語のテキスト と English", "Ελληνικά κείμενο"};
        for (String t : texts) {
            out.write(new byte[] {0, 0});
            out.writeBytes(t.getBytes(StandardCharsets.UTF_16LE));
            out.write(new byte[] {0, 0});
        }
        // a V8 SeqTwoByteString: length (int32) right before the characters
        out.write(new byte[] {0, 0, 0, 0, 4, 0, 0, 0});
        out.writeBytes("王小明子".getBytes(StandardCharsets.UTF_16LE));
        out.write(new byte[] {0, 0});
        out.writeBytes("plain ascii as utf16".getBytes(StandardCharsets.UTF_16LE));
        out.write(new byte[] {0, 0});
        out.writeBytes("ASCII text read as UTF-16 is CJK-looking garbage".getBytes(StandardCharsets.US_ASCII));
        out.write(noise, 100_000, 100_000);
        Path p = Files.write(dir.resolve("uni"), out.toByteArray());
        List<String> found = ours(p, StringScanner.Encoding.UNICODE, 4, null, 4096, 64, 2);
        assertThat(found).contains(texts).contains("王小明子");
        assertThat(found).noneMatch(s -> s.contains("plain ascii"));
        assertThat(found.size()).as("noise found: %s", found).isLessThanOrEqualTo(texts.length + 1 + 3);
    }

    /**
     * Two-byte text with bytes that merely decode glued to it (a pointer's low half that is a Han character, then a
     * Georgian one: a "word" of two scripts), as a node 22 core held it: the text is still found, without them; the
     * noise around it is not.
     */
    @Test
    void unicodeTextWithPrintableBytesGluedToItsEndsIsStillFound(@TempDir Path dir) throws IOException {
        Random r = new Random(7);
        byte[] noise = new byte[100_000];
        r.nextBytes(noise);
        String json = "stomer\":\"Иван Петров\",\"open\":987}";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(noise, 0, 50_000);
        out.write(new byte[] {0, 0});
        out.writeBytes(json.getBytes(StandardCharsets.UTF_16LE));
        out.writeBytes("\u8a20\u10c1".getBytes(StandardCharsets.UTF_16LE)); // glued after
        out.write(new byte[] {0, 0});
        out.writeBytes("\u8230\u10c1".getBytes(StandardCharsets.UTF_16LE)); // glued before
        out.writeBytes("{\"customer\":\"王小明\"}".getBytes(StandardCharsets.UTF_16LE));
        out.write(new byte[] {0, 0});
        out.write(noise, 50_000, 50_000);
        Path p = Files.write(dir.resolve("glued"), out.toByteArray());
        List<String> found = ours(p, StringScanner.Encoding.UNICODE, 4, null, 4096, 64, 2);
        assertThat(found).contains(json, "{\"customer\":\"王小明\"}");
        assertThat(found.size()).as("noise found: %s", found).isLessThanOrEqualTo(2 + 3);
    }

    @Test
    void fileWindowsReadAcrossWindowEdges(@TempDir Path dir) throws IOException {
        byte[] b = tricky(99, 10_000);
        Path p = Files.write(dir.resolve("w"), b);
        try (FileWindows fw = new FileWindows(p, 1000)) {
            byte[] got = new byte[10_000];
            assertThat(fw.read(0, got, 0, got.length)).isEqualTo(10_000);
            assertThat(got).isEqualTo(b);
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (long off : new long[] {0, 995, 996, 999, 1000, 2997, 9992}) {
                assertThat(fw.getLong(off)).as("long at %d", off).isEqualTo(bb.getLong((int) off));
                assertThat(fw.getInt(off)).as("int at %d", off).isEqualTo(bb.getInt((int) off));
            }
            assertThat(fw.read(9_990, got, 0, 100)).isEqualTo(10);
        }
    }
}
