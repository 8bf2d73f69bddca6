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
        // Tablesaw logs through SLF4J and we bundle no provider: say so to SLF4J instead of letting it warn on stderr.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }
}
