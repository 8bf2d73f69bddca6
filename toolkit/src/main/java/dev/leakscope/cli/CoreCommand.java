package dev.leakscope.cli;

import dev.leakscope.Core;
import dev.leakscope.core.CoreFile;
import dev.leakscope.core.CoreFormatException;
import dev.leakscope.core.CoreWarning;
import dev.leakscope.core.FileMapping;
import dev.leakscope.core.ProcessInfo;
import dev.leakscope.core.Segment;
import dev.leakscope.core.Signals;
import dev.leakscope.core.ThreadState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code leakscope core CORE}: info, threads and memory regions of a core, with the columns of {@link Core#info()},
 * {@link Core#threads()} and {@link Core#regions()}. Printed directly from the reader, not through Tablesaw,
 * whose first use scans the class path (a second on a busy machine) — this command answers in milliseconds.
 */
@Command(name = "core", mixinStandardHelpOptions = true,
        description = "What a core file says: the process (pid, command, signal), its threads with pc/sp, "
                + "and its memory regions (like lldb's `memory region --all`), plus any warnings.")
public final class CoreCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CORE", description = "core file (.gz .zst .xz .lz4 are decompressed once into the cache)")
    Path core;

    @Option(names = "--registers", description = "also print every thread's registers")
    boolean registers;

    @Option(names = "--files", description = "also print the mapped files (NT_FILE)")
    boolean files;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        try (Core c = Core.open(core)) {
            CoreFile f = c.file();
            ProcessInfo pi = f.processInfo().orElse(null);
            List<ThreadState> ts = f.threads();
            int signo = f.signal();
            long bytes = 0;
            long present = 0;
            for (Segment s : f.segments()) {
                bytes += s.memSize();
                present += s.present();
            }
            out.println("core " + core);
            String[][] info = {
                    {"writer", f.writer()}, {"arch", f.machine().displayName()},
                    {"pid", String.valueOf(f.pid())},
                    {"ppid", String.valueOf(pi != null ? pi.ppid() : 0)}, {"uid", String.valueOf(pi != null ? pi.uid() : -1)},
                    {"command", pi != null ? pi.command() : ""}, {"args", pi != null ? pi.args() : ""},
                    {"signal", Signals.name(signo)}, {"signo", String.valueOf(signo)},
                    {"threads", String.valueOf(ts.size())}, {"regions", String.valueOf(f.segments().size())},
                    {"bytes", String.valueOf(bytes)}, {"fileBytes", String.valueOf(present)},
                    {"warnings", String.valueOf(f.warnings().size())}};
            for (String[] kv : info) {
                out.printf("  %-10s %s%n", kv[0], kv[1]);
            }
            out.println();
            List<String[]> rows = new ArrayList<>();
            for (ThreadState t : ts) {
                rows.add(new String[] {String.valueOf(t.index() + 1), String.valueOf(t.tid()), Signals.name(t.signal()),
                        hex(t.pc()), hex(t.sp()), hex(t.fp()), String.valueOf(t.index() == 0)});
            }
            print(out, "threads", new String[] {"thread", "tid", "signal", "pc", "sp", "fp", "current"}, rows);
            rows.clear();
            for (Segment s : f.segments()) {
                rows.add(new String[] {hex(s.vaddr()), hex(s.end()), String.valueOf(s.memSize()),
                        String.valueOf(s.fileOffset()), String.valueOf(s.present()), s.perms(), c.regionLabel(s.index())});
            }
            print(out, "regions", new String[] {"start", "end", "size", "fileOffset", "fileSize", "perms", "mapping"}, rows);
            if (registers) {
                rows.clear();
                for (ThreadState t : ts) {
                    for (int i = 0; i < t.registers().length; i++) {
                        rows.add(new String[] {String.valueOf(t.tid()), t.machine().registers().get(i), hex(t.registers()[i])});
                    }
                }
                print(out, "registers", new String[] {"tid", "register", "value"}, rows);
            }
            if (files) {
                rows.clear();
                for (FileMapping m : f.fileMappings()) {
                    rows.add(new String[] {hex(m.start()), hex(m.end()), String.valueOf(m.fileOffset()), m.path()});
                }
                print(out, "files", new String[] {"start", "end", "offset", "path"}, rows);
            }
            if (!f.warnings().isEmpty()) {
                rows.clear();
                for (CoreWarning w : f.warnings()) {
                    rows.add(new String[] {w.offset() >= 0 ? hex(w.offset()) : "", w.structure(), w.message()});
                }
                print(out, "warnings", new String[] {"offset", "structure", "message"}, rows);
            }
            out.flush();
            return 0;
        } catch (CoreFormatException e) {
            System.err.println("leakscope core: " + e.getMessage());
            return 1;
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** A table in Tablesaw's text layout: title, right-aligned columns separated by {@code |}. */
    static void print(PrintStream out, String title, String[] header, List<String[]> rows) {
        int[] w = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            w[i] = header[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < header.length; i++) {
            line.append(' ').append(pad(header[i], w[i])).append("  |");
        }
        int width = line.length();
        out.println(" ".repeat(Math.max(0, (width - title.length()) / 2)) + title);
        out.println(line);
        out.println("-".repeat(width));
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(' ').append(pad(r[i], w[i])).append("  |");
            }
            out.println(sb);
        }
        out.println();
    }

    private static String pad(String s, int w) {
        return " ".repeat(w - s.length()) + s;
    }
}
