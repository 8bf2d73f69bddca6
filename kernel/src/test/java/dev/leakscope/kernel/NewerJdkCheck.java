package dev.leakscope.kernel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link NewerJdkTest} in a JVM of a newer JDK (no Thread.stop, no SecurityManager): a cell's
 * {@code while (true) {}} is stopped by an interrupt and {@code System.exit} in a cell is refused. Prints one
 * line per check and exits 0 only if all passed.
 */
public final class NewerJdkCheck {
    public static void main(String[] args) throws Exception {
        java.io.PrintStream out = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        Evaluator ev = new Evaluator(FrontEnd.NONE);
        CompletableFuture<Evaluator.Result> f = CompletableFuture.supplyAsync(() -> ev.run("while (true) { }"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ev.running() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        ev.interrupt();
        Evaluator.Result loop = f.get(30, TimeUnit.SECONDS);
        out.println("loop: " + loop.status());
        Evaluator.Result exit = ev.run("System.exit(3);");
        out.println("exit: " + exit.errorName() + ": " + exit.errorMessage());
        out.println("after: " + ev.run("20 + 22").value());
        boolean ok = loop.status() == Evaluator.Result.Status.INTERRUPTED && "SystemExit".equals(exit.errorName())
                && Integer.valueOf(42).equals(ev.run("40 + 2").value());
        out.println("java " + Runtime.version() + (ok ? ": ok" : ": FAILED"));
        Runtime.getRuntime().halt(ok ? 0 : 1);
    }
}
