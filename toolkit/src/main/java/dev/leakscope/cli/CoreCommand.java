package dev.leakscope.cli;

import dev.leakscope.Core;
import dev.leakscope.core.CoreFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tech.tablesaw.api.Table;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code leakscope core CORE}: info, threads and memory regions of a core. */
@Command(name = "core", mixinStandardHelpOptions = true,
        description = {"What a core file says: the process (pid, command, signal), its threads with pc/sp,",
                "and its memory regions (like lldb's `memory region --all`), plus any warnings."})
public final class CoreCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CORE", description = "core file (.gz .zst .xz .lz4 are decompressed once into the cache)")
    Path core;

    @Option(names = "--registers", description = "also print every thread's registers")
    boolean registers;

    @Option(names = "--files", description = "also print the mapped files (NT_FILE)")
    boolean files;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try (Core c = Core.open(core)) {
            Table info = c.info();
            out.println("core " + core);
            for (int col = 0; col < info.columnCount(); col++) {
                out.printf("  %-10s %s%n", info.column(col).name(), info.column(col).getString(0));
            }
            out.println();
            out.println(c.threads().printAll());
            out.println();
            out.println(c.regions().printAll());
            if (registers) {
                out.println();
                out.println(c.registers().printAll());
            }
            if (files) {
                out.println();
                out.println(c.files().printAll());
            }
            Table w = c.warnings();
            if (w.rowCount() > 0) {
                out.println();
                out.println(w.printAll());
            }
            return 0;
        } catch (CoreFormatException e) {
            System.err.println("leakscope core: " + e.getMessage());
            return 1;
        }
    }
}
