package dev.leakscope.cli;

import dev.leakscope.Heap;
import dev.leakscope.HeapSnapshotException;
import dev.leakscope.heap.HeapGraph;
import dev.leakscope.heap.LeakFinder;
import dev.leakscope.heap.SnapshotReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tech.tablesaw.api.Table;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** {@code leakscope heap SNAPSHOT [--leaks S1 S2 S3]}: the tables of {@link Heap} on the terminal. */
@Command(name = "heap", mixinStandardHelpOptions = true,
        description = "V8 heap snapshot (.heapsnapshot, .gz): Summary with retained sizes (DevTools' rules), "
                + "and with --leaks: objects allocated between S1 and S2 still alive in S3, grouped by retainer path, "
                + "plus collections that grow across the three.")
public final class HeapCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "SNAPSHOT", description = "the snapshot to summarize")
    Path snapshot;

    @Option(names = "--leaks", arity = "3", paramLabel = "S", description = "baseline, target and final snapshot of one process")
    List<Path> leaks;

    @Option(names = "--top", defaultValue = "20", description = "rows per table (default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--objects", paramLabel = "CONSTRUCTOR", description = "list the objects of one constructor")
    String objects;

    @Option(names = "--retainers", paramLabel = "ID", description = "retainer paths of one object id")
    Long retainers;

    @Option(names = "--strings", paramLabel = "REGEX", description = "strings matching REGEX, with how many objects hold each")
    String strings;

    @Option(names = "--closures", description = "closures by function and source location")
    boolean closures;

    @Option(names = "--duplicates", description = "strings held more than once")
    boolean duplicates;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        // load and initialise Tablesaw on the other core while the snapshot is read
        CompletableFuture.runAsync(() -> Table.create("warm-up", tech.tablesaw.api.LongColumn.create("x", new long[]{1})).print());
        if (top < 1) {
            System.err.println("leakscope heap: --top must be at least 1, not " + top);
            return 2;
        }
        try {
            if (snapshot == null && leaks == null) {
                System.err.println("leakscope heap: give a SNAPSHOT or --leaks S1 S2 S3");
                return 2;
            }
            if (snapshot != null) {
                Heap h = Heap.open(snapshot);
                out.println(h);
                print(out, h.warnings());
                print(out, h.summary());
                if (objects != null) {
                    Table o = h.objects(objects);
                    if (o.rowCount() == 0) {
                        // a typo must not look like "none of them": say so, and offer the name the summary has
                        Table sum = h.summary();
                        String like = sum.stringColumn("constructor").asList().stream()
                                .filter(n -> n.equalsIgnoreCase(objects.strip())).findFirst().orElse(null);
                        System.err.println("leakscope heap: no objects named '" + objects + "' in " + snapshot
                                + (like != null ? "; did you mean '" + like + "'?" : " (names as in the summary's constructor column)"));
                        return 1;
                    }
                    print(out, o);
                }
                if (retainers != null) {
                    out.println(h.retainers(retainers).print(Integer.MAX_VALUE));
                }
                if (strings != null) {
                    print(out, h.strings().grep(strings).table());
                }
                if (closures) {
                    print(out, h.closures());
                }
                if (duplicates) {
                    print(out, h.duplicateStrings());
                }
            }
            if (leaks != null) {
                CompletableFuture<HeapGraph[]> ids = CompletableFuture.supplyAsync(() -> new HeapGraph[]{
                        SnapshotReader.read(leaks.get(0), SnapshotReader.Mode.IDS),
                        SnapshotReader.read(leaks.get(1), SnapshotReader.Mode.IDS)});
                Heap last = Heap.open(leaks.get(2));
                HeapGraph[] bt = ids.join();
                print(out, LeakFinder.leaks(bt[0], bt[1], last.model()));
                print(out, LeakFinder.growingCollections(bt, last.model()));
            }
            return 0;
        } catch (HeapSnapshotException e) {
            System.err.println("leakscope heap: " + e.getMessage());
            return 1; // a file that cannot be read, as the other commands say it (2 is bad usage)
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof HeapSnapshotException h) {
                System.err.println("leakscope heap: " + h.getMessage());
                return 1;
            }
            throw e;
        }
    }

    private void print(PrintStream out, Table t) {
        if (t.rowCount() == 0 && t.name().equals("warnings")) {
            return;
        }
        out.println(t.rowCount() > top ? t.first(top).print(top) + "\n(" + t.rowCount() + " rows, first " + top + " shown)" : t.print(top));
        out.println();
    }
}
