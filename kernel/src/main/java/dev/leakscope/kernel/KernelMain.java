package dev.leakscope.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * {@code leakscope kernel install [--user | --prefix DIR] [--name NAME]} writes the kernelspec;
 * {@code leakscope kernel run CONNECTION_FILE} (what kernel.json runs) serves Jupyter until shutdown.
 */
public final class KernelMain {

    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            usage();
            return;
        }
        switch (args[0]) {
            case "install" -> System.exit(KernelSpec.install(Arrays.copyOfRange(args, 1, args.length)));
            case "run" -> {
                if (args.length != 2) {
                    usage();
                    System.exit(2);
                }
                run(Path.of(args[1]));
            }
            default -> {
                if (args[0].endsWith(".json")) {
                    run(Path.of(args[0]));
                } else {
                    System.err.println("leakscope kernel: unknown command " + args[0]);
                    usage();
                    System.exit(2);
                }
            }
        }
    }

    private static void usage() {
        System.err.println("""
                usage: leakscope kernel install [--user | --prefix DIR] [--name NAME]
                           write the Jupyter kernelspec (default --user); `jupyter kernelspec list` shows it
                       leakscope kernel run CONNECTION_FILE
                           serve Jupyter (kernel.json runs this)""");
    }

    /**
     * Ends the kernel when the process that started it (the notebook server, nbconvert, jupyter_client) is gone
     * without sending a shutdown request, as ipykernel's parent poller does: no orphan JVMs holding gigabytes.
     */
    private static void watchParent() {
        long parentPid;
        String env = System.getenv("JPY_PARENT_PID"); // jupyter_client sets it on POSIX
        if (env != null && env.matches("\\d+")) {
            parentPid = Long.parseLong(env);
        } else {
            parentPid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
            if (parentPid <= 1) {
                return; // started by init: nothing to watch
            }
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        Thread t = new Thread(() -> {
            while (true) {
                // a dead parent's children are re-parented at once, even while it is an unreaped zombie
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (parent.isEmpty() || !parent.get().isAlive() || now != parentPid) {
                    Logger.getLogger(KernelMain.class.getName()).warning("the process that started the kernel ("
                            + parentPid + ") is gone; exiting");
                    Runtime.getRuntime().halt(0);
                }
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "leakscope-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    static void configureLogging() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        ConsoleHandler h = new ConsoleHandler() {
            {
                setOutputStream(OutputCapture.ORIGINAL_ERR);
            }
        };
        h.setFormatter(new SimpleFormatter());
        h.setLevel(Level.ALL);
        root.addHandler(h);
        root.setLevel(Level.WARNING);
        Logger.getLogger("dev.leakscope").setLevel(Level.parse(System.getProperty("leakscope.logLevel", "INFO")));
        System.setProperty("java.util.logging.SimpleFormatter.format", "[leakscope %4$s] %5$s%6$s%n");
    }

    static void run(Path connectionFile) throws Exception {
        configureLogging();
        String json;
        try {
            json = Files.readString(connectionFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("leakscope kernel: cannot read connection file " + connectionFile + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        KernelConnectionProperties props = KernelConnectionProperties.parse(json);
        KernelConnection connection = new KernelConnection(props);
        CompletableFuture<Evaluator> evaluator = new CompletableFuture<>();
        JupyterKernel kernel = new JupyterKernel(connection, evaluator);
        connection.connect();
        // JShell takes about a second to start: do it while the client is already talking to us
        Thread boot = new Thread(() -> {
            try {
                Evaluator ev = new Evaluator(FrontEnd.NONE);
                evaluator.complete(ev);
                Thread.currentThread().setPriority(Thread.MIN_PRIORITY);
                ev.warmUp(Integer.getInteger("leakscope.warmUpEvals", 600), 60_000);
            } catch (Throwable e) {
                Logger.getLogger(KernelMain.class.getName()).log(Level.SEVERE, "JShell did not start", e);
                evaluator.completeExceptionally(e);
            }
        }, "leakscope-jshell-boot");
        boot.setDaemon(true);
        boot.start();
        watchParent();
        kernel.awaitShutdown();
        evaluator.thenAccept(ev -> {
            try {
                ev.close();
            } catch (RuntimeException ignored) {
                // shutting down
            }
        });
        connection.close();
        Runtime.getRuntime().halt(0); // cells may have left non-daemon threads running
    }
}
