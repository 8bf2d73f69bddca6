package dev.leakscope.cli;

import dev.leakscope.Core;
import dev.leakscope.Strings;
import dev.leakscope.core.CoreFormatException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code leakscope strings CORE [--grep RE] [--count] [--utf16|--unicode|--both] [-n N] [-t d|x|o]}: GNU strings, for cores. */
@Command(name = "strings", mixinStandardHelpOptions = true,
        description = "Printable strings of a core file, printed exactly like GNU `strings -a` (a drop-in in "
                + "pipelines), in parallel; --grep keeps strings in which a Java regex finds a match (like piping to "
                + "grep -E), --count prints only how many.")
public final class StringsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CORE", description = "core file (.gz .zst .xz .lz4 are decompressed once into the cache)")
    Path core;

    @Option(names = "--grep", paramLabel = "RE", description = "keep strings in which RE finds a match")
    String grep;

    @Option(names = {"-c", "--count"}, description = "print the number of strings only")
    boolean count;

    @Option(names = {"-n", "--bytes"}, paramLabel = "N", defaultValue = "4", description = "minimum length (default ${DEFAULT-VALUE})")
    int min;

    @Option(names = {"-t", "--radix"}, paramLabel = "d|x|o", description = "print each string's file offset in this radix")
    Character radix;

    @ArgGroup(exclusive = true)
    Encoding encoding;

    static final class Encoding {
        @Option(names = {"--utf16", "-el"}, description = "UTF-16LE strings, like `strings -a -el`")
        boolean utf16;

        @Option(names = "--unicode", description = "UTF-16LE text of any script (Cyrillic, CJK…), printed as UTF-8")
        boolean unicode;

        @Option(names = "--both", description = "one-byte and UTF-16LE strings together, in file order")
        boolean both;
    }

    @Override
    public Integer call() throws IOException {
        if (radix != null && "dxo".indexOf(radix) < 0) {
            System.err.println("leakscope strings: -t takes d, x or o");
            return 2;
        }
        try (Core c = Core.open(core)) {
            Strings s = c.strings().minLength(min);
            if (encoding != null && encoding.utf16) {
                s = s.utf16();
            } else if (encoding != null && encoding.unicode) {
                s = s.unicode();
            } else if (encoding != null && encoding.both) {
                s = s.bothEncodings();
            }
            if (grep != null) {
                s = s.grep(grep);
            }
            if (count) {
                System.out.println(s.count());
            } else {
                OutputStream out = new FileOutputStream(FileDescriptor.out);
                try {
                    s.writeTo(out, radix == null ? 0 : radix);
                    out.flush();
                } catch (IOException e) {
                    // the reader went away (`| head`): stop quietly, as GNU strings does on SIGPIPE
                    return 141;
                }
            }
            return 0;
        } catch (CoreFormatException e) {
            System.err.println("leakscope strings: " + e.getMessage());
            return 1;
        }
    }
}
