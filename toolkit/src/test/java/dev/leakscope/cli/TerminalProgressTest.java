package dev.leakscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.leakscope.Progress;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {

    @Test
    void drawsABarRedrawnInPlaceUpToTheTotal() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress.Listener before = Progress.listener();
        Progress.setListener(new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        try (Progress p = Progress.start("scanning core.58", 1000)) {
            for (int i = 0; i < 10; i++) {
                p.step(100);
                Thread.sleep(120); // Progress rate-limits updates to ~10/s
            }
        } finally {
            Progress.setListener(before);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("scanning core.58").contains("100%").contains("1000/1000").contains("\r");
        assertThat(out.split("\r").length).as("redrawn several times").isGreaterThan(3);
    }

    @Test
    void unknownTotalShowsTheCountDone() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress.Listener before = Progress.listener();
        Progress.setListener(new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        try (Progress p = Progress.start("reading log", 0)) {
            p.step(4242);
        } finally {
            Progress.setListener(before);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("reading log").contains("4242");
    }
}
