package dev.leakscope.plot;

import dev.leakscope.Plots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;

/** Writes every figure's PNG/SVG to -Ddump=DIR for a person to look at (not run by default). */
@EnabledIfSystemProperty(named = "dump", matches = ".+")
class DumpFiguresManual {
    @Test
    void dump() {
        Path d = Path.of(System.getProperty("dump"));
        RealLogs l = RealLogs.leak();
        Plots.memory(l.memory(), l.gc()).save(d.resolve("memory.png"));
        Plots.memory(l.memory(), l.gc()).save(d.resolve("memory.svg"));
        Plots.gcPauses(l.gc()).save(d.resolve("gc.png"));
        Plots.eventLoop(l.eventLoop(), l.blocked()).save(d.resolve("eventloop.png"));
    }
}
