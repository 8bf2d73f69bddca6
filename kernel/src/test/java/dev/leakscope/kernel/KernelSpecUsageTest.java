package dev.leakscope.kernel;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code leakscope kernel install --help} prints the options (it was "unknown option --help") and installs nothing. */
class KernelSpecUsageTest {

    private record Run(int code, String out, String err) {
    }

    private static Run install(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream o = System.out, e = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = KernelSpec.install(args);
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsEveryOptionAndInstallsNothing() throws Exception {
        Run r = install("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--user").contains("--prefix DIR").contains("--name NAME").doesNotContain("installed");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void anUnknownOptionListsTheRealOnes() throws Exception {
        Run r = install("--frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown option --frobnicate").contains("--name NAME");
    }
}
