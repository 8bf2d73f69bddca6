package dev.leakscope.kernel;

import dev.leakscope.testing.Captured;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/** {@code leakscope kernel install --help} prints the options (it was "unknown option --help") and installs nothing. */
class KernelSpecUsageTest {

    private static Captured install(String... args) throws Exception {
        return Captured.run(() -> KernelSpec.install(args));
    }

    @Test
    void helpPrintsEveryOptionAndInstallsNothing() throws Exception {
        Captured r = install("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--user").contains("--prefix DIR").contains("--name NAME").doesNotContain("installed");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void anUnknownOptionListsTheRealOnes() throws Exception {
        Captured r = install("--frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown option --frobnicate").contains("--name NAME");
    }
}
