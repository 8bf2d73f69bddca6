package dev.leakscope.workbench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * A file dropped on the workbench, and the line that opens it: {@code Core.open} for an ELF file,
 * {@code Heap.open} for a V8 heap snapshot, {@code Metrics.open} for a Prometheus text scrape, else
 * {@code Logs.open}. Compressed files (gzip, xz, zstd, lz4) are sniffed by what they decompress to.
 */
public final class DroppedFile {

    /** What a file holds, by its first bytes. */
    public enum Kind {
        CORE("Core", "core"), HEAP_SNAPSHOT("Heap", "heap"), METRICS("Metrics", "metrics"), LOG("Logs", "logs");

        private final String type;
        private final String variable;

        Kind(String type, String variable) {
            this.type = type;
            this.variable = variable;
        }

        /** The DSL class whose {@code open} reads this kind. */
        public String type() {
            return type;
        }

        /** The variable name the inserted line declares (made unique). */
        public String variable() {
            return variable;
        }
    }

    private static final int SNIFF = 4096;

    private DroppedFile() {
    }

    /** The kind of {@code file} from its first bytes (decompressed first when compressed). */
    public static Kind sniff(Path file) throws IOException {
        byte[] head = head(file);
        if (isCompressed(head)) {
            try (InputStream in = new CompressorStreamFactory().createCompressorInputStream(
                    new BufferedInputStream(Files.newInputStream(file)))) {
                head = in.readNBytes(SNIFF);
            } catch (CompressorException e) {
                throw new IOException(file + ": looks compressed (magic " + hex(head, 4) + " at 0x0) but cannot be read: "
                        + e.getMessage(), e);
            }
        }
        return sniff(head);
    }

    /** The kind of a file starting with {@code head}. */
    public static Kind sniff(byte[] head) {
        if (head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
            return Kind.CORE;
        }
        String text = new String(head, 0, Math.min(head.length, SNIFF), StandardCharsets.UTF_8);
        String start = text.startsWith("\ufeff") ? text.substring(1).stripLeading() : text.stripLeading();
        if (start.startsWith("{") && start.substring(1).stripLeading().startsWith("\"snapshot\"")) {
            return Kind.HEAP_SNAPSHOT;
        }
        if (start.startsWith("# HELP ") || start.startsWith("# TYPE ")) {
            return Kind.METRICS;
        }
        return Kind.LOG;
    }

    /**
     * The statement that opens {@code file} as {@code kind}, declaring a variable not yet declared in
     * {@code document} ({@code core}, {@code core2}, …), e.g. {@code var core = Core.open("/tmp/core.58");}.
     */
    public static String openLine(Kind kind, Path file, String document) {
        String name = kind.variable();
        for (int i = 2; Pattern.compile("\\b" + name + "\\s*=[^=]").matcher(document).find(); i++) {
            name = kind.variable() + i;
        }
        return "var " + name + " = " + kind.type() + ".open(" + javaString(file.toAbsolutePath().toString()) + ");";
    }

    /** {@code s} as a Java string literal. */
    public static String javaString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(SNIFF);
        }
    }

    private static boolean isCompressed(byte[] h) {
        return startsWith(h, 0x1f, 0x8b) || startsWith(h, 0xfd, '7', 'z', 'X', 'Z', 0x00)
                || startsWith(h, 0x28, 0xb5, 0x2f, 0xfd) || startsWith(h, 0x04, 0x22, 0x4d, 0x18)
                || startsWith(h, 'B', 'Z', 'h');
    }

    private static boolean startsWith(byte[] h, int... magic) {
        if (h.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((h[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] h, int n) {
        StringBuilder sb = new StringBuilder();
        for (byte b : Arrays.copyOf(h, Math.min(n, h.length))) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02x", b & 0xff));
        }
        return sb.toString();
    }
}
