package dev.leakscope.v8;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Native backtraces of every thread of a core, by running {@code gdb -batch -ex "thread apply all bt"} on
 * the binary and the core and parsing its output into rows: thread, tid, frame, pc, function, file, line,
 * library. gdb shows JIT-compiled JavaScript as {@code ?? ()}: the JavaScript stack is the job of
 * {@link JsStackWalker}.
 */
public final class NativeBacktrace {

    /** One parsed frame. */
    public record Frame(int thread, int tid, int frame, long pc, String function, String file, int line, String library) {
    }

    private static final Pattern THREAD = Pattern.compile("^Thread (\\d+) \\((?:Thread 0x[0-9a-f]+ )?\\(?LWP (\\d+)\\)?.*");
    private static final Pattern FRAME = Pattern.compile("^#(\\d+)\\s+(?:(0x[0-9a-f]+) in )?(.*)$");
    private static final Pattern AT = Pattern.compile("^(.*) at (\\S+):(\\d+)$");
    private static final Pattern FROM = Pattern.compile("^(.*) from (\\S+)$");

    private NativeBacktrace() {
    }

    /**
     * Runs {@code gdb} (the executable name or path) on {@code binary} and {@code core}; a clear error when gdb
     * is not installed, fails or takes longer than {@code timeoutSeconds}.
     */
    public static List<Frame> run(String gdb, Path binary, Path core, long timeoutSeconds) {
        List<String> cmd = List.of(gdb, "-batch", "-nx", "-ex", "set pagination off", "-ex", "set width 0",
                "-ex", "thread apply all bt", binary.toString(), core.toString());
        Process p;
        Path out;
        try {
            out = Files.createTempFile("leakscope-gdb", ".txt");
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        } catch (IOException e) {
            throw new V8Exception("cannot run " + gdb + " (" + e.getMessage() + "): core.backtrace() needs gdb"
                    + " (Debian/Ubuntu: apt-get install gdb)", e);
        }
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new V8Exception(gdb + " did not finish in " + timeoutSeconds + " s on " + core);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            List<Frame> frames = parse(text);
            if (frames.isEmpty()) {
                throw new V8Exception(gdb + " printed no frames for " + core + " (exit " + p.exitValue() + "): "
                        + tail(text));
            }
            return frames;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new V8Exception("interrupted running " + gdb, e);
        } catch (IOException e) {
            throw new V8Exception("cannot read gdb output: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() > 400 ? "…" + t.substring(t.length() - 400) : t;
    }

    /** Parses the output of {@code thread apply all bt}. */
    public static List<Frame> parse(String gdbOutput) {
        List<Frame> out = new ArrayList<>();
        int thread = 0;
        int tid = 0;
        boolean inThread = false;
        for (String raw : gdbOutput.split("\r?\n")) {
            String line = raw.stripTrailing();
            Matcher t = THREAD.matcher(line);
            if (t.matches()) {
                thread = Integer.parseInt(t.group(1));
                tid = Integer.parseInt(t.group(2));
                inThread = true;
                continue;
            }
            if (!inThread) {
                continue;
            }
            Matcher f = FRAME.matcher(line);
            if (!f.matches()) {
                continue;
            }
            int frame = Integer.parseInt(f.group(1));
            long pc = f.group(2) == null ? -1 : Long.parseUnsignedLong(f.group(2).substring(2), 16);
            String rest = f.group(3);
            String file = null;
            int ln = 0;
            String lib = null;
            Matcher at = AT.matcher(rest);
            if (at.matches()) {
                rest = at.group(1);
                file = at.group(2);
                ln = Integer.parseInt(at.group(3));
            } else {
                Matcher from = FROM.matcher(rest);
                if (from.matches()) {
                    rest = from.group(1);
                    lib = from.group(2);
                }
            }
            out.add(new Frame(thread, tid, frame, pc, functionName(rest), file, ln, lib));
        }
        return out;
    }

    /** "name (args)" → "name": drops the last balanced parenthesised group (the arguments). */
    static String functionName(String s) {
        s = s.strip();
        if (!s.endsWith(")")) {
            return s;
        }
        int depth = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(') {
                depth--;
                if (depth == 0) {
                    return s.substring(0, i).strip();
                }
            }
        }
        return s;
    }

    /** The frames as a table: thread, tid, frame, pc (hex), function, file, line, library. */
    public static Table table(List<Frame> frames) {
        IntColumn thread = IntColumn.create("thread");
        IntColumn tid = IntColumn.create("tid");
        IntColumn frame = IntColumn.create("frame");
        StringColumn pc = StringColumn.create("pc");
        StringColumn fn = StringColumn.create("function");
        StringColumn file = StringColumn.create("file");
        IntColumn line = IntColumn.create("line");
        StringColumn lib = StringColumn.create("library");
        for (Frame f : frames) {
            thread.append(f.thread());
            tid.append(f.tid());
            frame.append(f.frame());
            if (f.pc() < 0) {
                pc.appendMissing();
            } else {
                pc.append("0x" + Long.toHexString(f.pc()));
            }
            fn.append(f.function());
            appendOrMissing(file, f.file());
            if (f.line() > 0) {
                line.append(f.line());
            } else {
                line.appendMissing();
            }
            appendOrMissing(lib, f.library());
        }
        return Table.create("backtrace", thread, tid, frame, pc, fn, file, line, lib);
    }

    private static void appendOrMissing(StringColumn c, String v) {
        if (v == null) {
            c.appendMissing();
        } else {
            c.append(v);
        }
    }
}
