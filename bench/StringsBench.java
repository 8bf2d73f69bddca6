import dev.leakscope.Core;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * In-process timings for bench/strings-bench.sh (run with the JDK's source launcher):
 *   java -cp 'toolkit/target/leakscope-toolkit-*.jar:toolkit/target/lib/*' bench/StringsBench.java CORE RUNS
 * Prints one line per measurement: name, median ms, all runs.
 */
public class StringsBench {
    public static void main(String[] args) {
        Path core = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String re = "(Error|ENOMEM|EMFILE|leak)";
        // first open in this JVM: class loading included (what a user sees right after JVM start)
        long t0 = System.nanoTime();
        try (Core c = Core.open(core)) {
            Table a = c.info();
            Table b = c.threads();
            Table d = c.regions();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("open+info+threads+regions (first, cold JVM) %d ms  [%d threads, %d regions]%n", ms,
                    b.rowCount(), d.rowCount());
        }
        report("open+info+threads+regions (warm)", runs, () -> {
            try (Core c = Core.open(core)) {
                return c.info().rowCount() + c.threads().rowCount() + c.regions().rowCount();
            }
        });
        try (Core c = Core.open(core)) {
            report("strings().grep(\"" + re + "\").count()", runs, () -> c.strings().grep(re).count());
            report("strings().count()", runs, () -> c.strings().count());
            report("strings().utf16().count()", runs, () -> c.strings().utf16().count());
            report("strings().unicode().count()", runs, () -> c.strings().unicode().count());
            report("strings().uuids() (no prefilter: full scan + regex)", runs, () -> (long) c.strings().uuids().rowCount());
        }
        System.exit(0);
    }

    interface Work {
        long run() throws Exception;
    }

    static void report(String name, int runs, Work w) {
        long[] ms = new long[runs];
        long[] cpu = new long[runs];
        long result = 0;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        try {
            w.run(); // warm-up (JIT), not counted
            for (int i = 0; i < runs; i++) {
                long c = os.getProcessCpuTime();
                long t = System.nanoTime();
                result = w.run();
                ms[i] = (System.nanoTime() - t) / 1_000_000;
                cpu[i] = (os.getProcessCpuTime() - c) / 1_000_000;
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        long[] s = ms.clone();
        Arrays.sort(s);
        long[] sc = cpu.clone();
        Arrays.sort(sc);
        System.out.printf("%-62s = %7d: wall median %5d ms, cpu median %5d ms, wall runs %s%n", name, result, s[runs / 2],
                sc[runs / 2], Arrays.toString(ms));
    }
}
