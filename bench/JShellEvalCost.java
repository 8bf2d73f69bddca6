import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import dev.leakscope.kernel.Evaluator;
import dev.leakscope.kernel.FrontEnd;
import jdk.jshell.JShell;

/**
 * CPU of one trivial cell ("1 + 1") on the evaluating thread: plain JShell (local execution, no class path,
 * no imports) keeping its $N temporaries as jshell does, the same dropping each one after the cell, and
 * leakscope's Evaluator (class path, imports, its own execution engine; drops them), all after the same JIT
 * warm-up, in one JVM. Shows how much of a cell's cost is JShell's own (javac runs per snippet) and what the
 * temporaries cost: every later snippet compiles one more import per temporary kept.
 *
 *   java --add-opens jdk.jshell/jdk.jshell=ALL-UNNAMED \
 *        -cp "kernel/target/leakscope-kernel-0.1.0-SNAPSHOT.jar:kernel/target/lib/*" bench/JShellEvalCost.java
 */
public class JShellEvalCost {
    static final java.io.PrintStream OUT = new java.io.PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out), true);

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        JShell plain = JShell.builder().executionEngine("local").build();
        JShell dropping = JShell.builder().executionEngine("local").build();
        Evaluator ev = new Evaluator(FrontEnd.NONE);
        for (int i = 0; i < 300; i++) { // warm all up
            plain.eval("1 + 1");
            evalAndDrop(dropping);
            ev.run("1 + 1");
        }
        for (int round = 0; round < 3; round++) {
            long c0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < 100; i++) {
                plain.eval("1 + 1");
            }
            long c1 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < 100; i++) {
                evalAndDrop(dropping);
            }
            long c2 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < 100; i++) {
                ev.run("1 + 1");
            }
            long c3 = threads.getCurrentThreadCpuTime();
            OUT.printf("round %d: plain JShell %.1f ms CPU/cell (temporaries kept), %.1f ms (dropped); "
                    + "leakscope Evaluator %.1f ms CPU/cell%n", round, (c1 - c0) / 1e8, (c2 - c1) / 1e8, (c3 - c2) / 1e8);
        }
        System.exit(0);
    }

    private static void evalAndDrop(JShell js) {
        for (jdk.jshell.SnippetEvent e : js.eval("1 + 1")) {
            js.drop(e.snippet());
        }
    }
}
