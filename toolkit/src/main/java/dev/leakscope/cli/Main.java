package dev.leakscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code leakscope} command line; the {@code ./leakscope} script calls it for every data command. */
@Command(name = "leakscope", mixinStandardHelpOptions = true, version = "leakscope 0.1.0",
        description = "Node.js post-mortem: cores, heap snapshots, logs and metrics as tables.",
        subcommands = {
                CommandLine.HelpCommand.class,
                HeapCommand.class,
                ReportCommand.class,
                DemoCommand.class,
                CoreCommand.class,
                StringsCommand.class,
                JsCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        // Tablesaw logs through SLF4J and we bundle no provider: say so to SLF4J instead of letting it warn on stderr
        // (here rather than in main, so that a first run inside a test JVM prints only what the command prints).
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        return new CommandLine(new Main()).setExecutionExceptionHandler(Main::failed).execute(args);
    }

    /**
     * What a command did not catch, as one line naming the command instead of a stack trace: a bad argument
     * (a regex that does not compile, {@code -n 0}, an unknown object id) is bad usage (exit 2), a file that cannot
     * be read or written exit 1. {@code LEAKSCOPE_DEBUG=1} prints the stack trace too.
     */
    static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        Throwable t = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
        String name = cmd.getCommandName();
        java.io.PrintWriter err = cmd.getErr();
        err.println("leakscope " + name + ": " + describe(t));
        String debug = System.getenv("LEAKSCOPE_DEBUG");
        if (debug != null && !debug.isEmpty() && !debug.equals("0")) {
            e.printStackTrace(err);
        }
        err.flush();
        return t instanceof IllegalArgumentException ? 2 : 1;
    }

    static String describe(Throwable t) {
        if (t instanceof java.util.regex.PatternSyntaxException p) {
            return "not a valid regular expression: " + p.getDescription() + " at index " + p.getIndex() + " of '" + p.getPattern() + "'";
        }
        if (t instanceof java.nio.file.NoSuchFileException f) {
            return f.getFile() + ": no such file or directory";
        }
        if (t instanceof java.nio.file.AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (t instanceof java.nio.file.FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName());
        }
        if (t instanceof IllegalArgumentException && t.getMessage() != null) {
            return t.getMessage();
        }
        if (t instanceof java.io.IOException && t.getMessage() != null) {
            return t.getMessage();
        }
        return "internal error: " + t + " (LEAKSCOPE_DEBUG=1 shows where; please report it)";
    }
}
