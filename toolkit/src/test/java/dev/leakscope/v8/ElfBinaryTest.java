package dev.leakscope.v8;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The node binary's symbols, build-id and data, checked against binutils (readelf, nm) and gdb. */
class ElfBinaryTest {

    static final Path NODE = Path.of(dev.leakscope.core.TestCores.node());

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void buildIdIsWhatReadelfPrints() throws Exception {
        Matcher m = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(run("readelf", "-n", NODE.toString()));
        assertThat(m.find()).isTrue();
        assertThat(ElfBinary.open(NODE).buildId()).isEqualTo(m.group(1));
    }

    @Test
    void v8dbgSymbolsAreTheOnesNmLists() throws Exception {
        long nm = run("nm", "-D", NODE.toString()).lines().filter(l -> l.matches("\\S+ \\S (v8dbg_|nodedbg_)\\S+")).count();
        Map<String, ElfBinary.Symbol> syms = ElfBinary.open(NODE).symbols(n -> n.startsWith("v8dbg_") || n.startsWith("nodedbg_"));
        assertThat(nm).isGreaterThan(100);
        assertThat((long) syms.size()).isEqualTo(nm);
    }

    @Test
    void metadataValuesAreWhatGdbReadsFromTheBinary() throws Exception {
        V8Metadata md = V8Metadata.load(ElfBinary.open(NODE), null, 0);
        List<String> names = List.of("v8dbg_class_Map__instance_type__uint16_t", "v8dbg_type_JSFunction__JS_FUNCTION_TYPE",
                "v8dbg_off_fp_function", "v8dbg_class_SharedFunctionInfo__name_or_scope_info__Object");
        String[] cmd = new String[4 + 2 * names.size()];
        int i = 0;
        cmd[i++] = "gdb";
        cmd[i++] = "-batch";
        cmd[i++] = "-nx";
        for (String n : names) {
            cmd[i++] = "-ex";
            cmd[i++] = "p (int)" + n;
        }
        cmd[i] = NODE.toString();
        String out = run(cmd);
        for (int k = 0; k < names.size(); k++) {
            assertThat(out).contains("$" + (k + 1) + " = " + md.get(names.get(k)));
        }
        assertThat(md.get("v8dbg_off_fp_function")).isNegative();
    }

    @Test
    void notAnElfFileNamesPathOffsetAndMagic(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("text");
        Files.writeString(f, "#!/bin/sh\necho hi\n" + "x".repeat(100));
        assertThatThrownBy(() -> ElfBinary.open(f)).isInstanceOf(V8Exception.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("at 0x0").hasMessageContaining("23 21 2f 62");
    }

    @Test
    void aTruncatedBinaryIsReportedNotMisread(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("node-head");
        byte[] head = ElfBinary.open(NODE).head(4096);
        Files.write(f, head);
        assertThatThrownBy(() -> ElfBinary.open(f)).isInstanceOf(V8Exception.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("section headers inside the file");
    }
}
