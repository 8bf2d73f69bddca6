package dev.leakscope.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** What an in-process command printed: its exit code, stdout and stderr, captured while it ran. */
public record Captured(int code, String out, String err) {

    /** Runs {@code command} with System.out and System.err captured, then puts them back. */
    public static Captured run(Callable<Integer> command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream o = System.out, e = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = command.call();
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
        return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
