package dev.leakscope.cli;

import dev.leakscope.Core;
import dev.leakscope.JavaScript;
import dev.leakscope.core.CoreFormatException;
import dev.leakscope.v8.V8Exception;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tech.tablesaw.api.Table;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code leakscope js CORE}: JavaScript objects by constructor (findjsobjects), instances, strings, stacks. */
@Command(name = "js", mixinStandardHelpOptions = true,
        description = "The JavaScript heap of a node core, read with the node binary's V8 postmortem metadata "
                + "(llnode's findjsobjects / findjsinstances / bt without lldb): objects by constructor, with --instances "
                + "the objects of one constructor and their properties, --strings the JS strings, --stack the main "
                + "thread's JavaScript frames, --backtrace every thread's native frames (gdb).")
public final class JsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CORE", description = "core file of a node process")
    Path core;

    @Option(names = "--binary", paramLabel = "NODE", description = "the node binary that made the core (default: the path the core records)")
    Path binary;

    @Option(names = "--top", paramLabel = "N", defaultValue = "40", description = "rows per table (default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--all", description = "include V8 internal objects (maps, fixed arrays, code…)")
    boolean all;

    @Option(names = "--instances", paramLabel = "NAME", description = "list the objects of this constructor with their properties")
    String instances;

    @Option(names = "--strings", paramLabel = "REGEX", description = "count the JS strings matching REGEX (\".\" for all)")
    String strings;

    @Option(names = "--closures", description = "functions grouped by their code (name, script, line, count)")
    boolean closures;

    @Option(names = "--stack", description = "the main thread's JavaScript stack")
    boolean stack;

    @Option(names = "--backtrace", description = "native backtraces of every thread (runs gdb)")
    boolean backtrace;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (top < 1) {
            System.err.println("leakscope js: --top must be at least 1, not " + top);
            return 2;
        }
        try (Core c = Core.open(core)) {
            Core withBin = binary == null ? c : c.withBinary(binary);
            JavaScript js = withBin.js();
            if (instances != null) {
                out.println(first(js.instances(instances)));
            } else if (strings != null) {
                out.println(first(js.strings().grep(strings).countBy()));
            } else if (closures) {
                out.println(first(js.closures()));
            } else if (!stack && !backtrace) {
                Table t = all ? js.allObjects() : js.objects();
                out.println(first(t));
                Table info = js.info();
                out.printf("%d objects in %d bytes of writable memory, scanned in %.2f s%n",
                        info.longColumn("objects").get(0), info.longColumn("scannedBytes").get(0),
                        info.doubleColumn("scanSeconds").get(0));
            }
            if (stack) {
                out.println(js.stack().printAll());
            }
            if (backtrace) {
                out.println(withBin.backtrace().printAll());
            }
            Table w = js.warnings();
            if (w.rowCount() > 0) {
                System.err.println(w.printAll());
            }
            return 0;
        } catch (CoreFormatException | V8Exception e) {
            System.err.println("leakscope js: " + e.getMessage());
            return 1;
        }
    }

    /** The first {@code --top} rows (tables of counts come sorted, most first) and how many there are in all. */
    private String first(Table t) {
        return t.rowCount() > top ? t.first(top).print(top) + "\n(" + t.rowCount() + " rows, first " + top + " shown)" : t.print(top);
    }
}
