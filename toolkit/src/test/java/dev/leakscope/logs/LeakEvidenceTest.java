package dev.leakscope.logs;

import dev.leakscope.Leak;
import dev.leakscope.LeakVerdict;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evidence table agrees with the verdict. A short log with a few full GCs: heapUsed's floor rises less than
 * V8's GC headroom (so alone it proves nothing), but each full GC left more heap, which confirms the rise — the
 * verdict is LEAK, and the floor's row must say it grows, not "rises, then comes back".
 */
class LeakEvidenceTest {

    static final double MB = 1024 * 1024;

    @Test
    void theDecidingRowOfALeakVerdictSaysItGrows() {
        int n = 60;
        double[] t = new double[n];
        long[] heap = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = i; // seconds
            double retained = 20 + 0.5 * i;          // MB: 30 MB retained over the minute
            double garbage = 8 * ((i % 10) / 10.0);   // MB: a sawtooth collected every 10 s
            heap[i] = (long) ((retained + garbage) * MB);
        }
        Table memory = Table.create("memory", DoubleColumn.create("elapsedS", t), LongColumn.create("heapUsed", heap));
        Table gc = Table.create("gc", BooleanColumn.create("full", new boolean[] {true, true, true}),
                DoubleColumn.create("uptimeMs", new double[] {15_000, 30_000, 45_000}),
                LongColumn.create("heapAfter", new long[] {(long) (27.5 * MB), (long) (35 * MB), (long) (42.5 * MB)}));
        LeakVerdict v = Leak.verdict(memory, gc);
        assertThat(v.outcome()).as(v.toString()).isEqualTo(LeakVerdict.Outcome.LEAK);
        Table e = v.evidence();
        Table decisive = e.where(e.stringColumn("series").isEqualTo(v.decidingSeries()));
        assertThat(decisive.rowCount()).isEqualTo(1);
        assertThat(decisive.stringColumn("finding").get(0)).as(e.printAll()).isEqualTo("grows");
    }
}
