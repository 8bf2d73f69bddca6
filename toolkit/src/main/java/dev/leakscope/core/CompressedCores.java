package dev.leakscope.core;

import dev.leakscope.Progress;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Compressed cores ({@code .gz .zst .xz .lz4}, recognised by their magic bytes) decompressed once into a cache
 * directory — {@code $LEAKSCOPE_CACHE}, else {@code ~/.cache/leakscope} — never beside the input, and reused
 * while the input's path, size and modification time are unchanged. Runs of zeros are written as holes, so a
 * sparse kernel core stays sparse on disk.
 */
public final class CompressedCores {

    /** The compressions understood. */
    public enum Kind { GZIP, ZSTD, XZ, LZ4 }

    private CompressedCores() {
    }

    /** The compression of {@code path} by its first bytes, or null when it is not compressed. */
    public static Kind sniff(Path path) throws IOException {
        byte[] m = new byte[6];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(m, 0, 6);
        }
        if (n >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
            return Kind.GZIP;
        }
        if (n >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f && (m[3] & 0xff) == 0xfd) {
            return Kind.ZSTD;
        }
        if (n >= 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z' && m[5] == 0) {
            return Kind.XZ;
        }
        if (n >= 4 && (m[0] & 0xff) == 0x04 && (m[1] & 0xff) == 0x22 && (m[2] & 0xff) == 0x4d && (m[3] & 0xff) == 0x18) {
            return Kind.LZ4;
        }
        return null;
    }

    /** The cache directory: system property {@code leakscope.cache}, else {@code $LEAKSCOPE_CACHE}, else {@code ~/.cache/leakscope}. */
    public static Path cacheDir() {
        String prop = System.getProperty("leakscope.cache");
        if (prop != null && !prop.isBlank()) {
            return Paths.get(prop);
        }
        String env = System.getenv("LEAKSCOPE_CACHE");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "leakscope");
    }

    /**
     * The decompressed core for {@code path}: made on first use in {@link #cacheDir()} (keyed by absolute path,
     * size and mtime), reused after.
     */
    public static Path decompressed(Path path, Kind kind) throws IOException {
        return decompressed(path, kind, cacheDir());
    }

    /** As {@link #decompressed(Path, Kind)} with an explicit cache directory. */
    public static Path decompressed(Path path, Kind kind, Path cacheDir) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        long size = Files.size(abs);
        FileTime mtime = Files.getLastModifiedTime(abs);
        String key = sha256(abs + "\n" + size + "\n" + mtime.toMillis()).substring(0, 16);
        String base = abs.getFileName().toString().replaceAll("\\.(gz|zst|zstd|xz|lz4)$", "");
        Path out = cacheDir.resolve(base + "-" + key + ".core");
        if (Files.isRegularFile(out)) {
            return out;
        }
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempFile(cacheDir, base + "-", ".partial");
        String cut = null;
        try (CountingInput raw = new CountingInput(new BufferedInputStream(Files.newInputStream(abs), 1 << 16));
             InputStream in = open(kind, raw);
             FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
             Progress p = Progress.start("decompressing " + abs.getFileName(), size)) {
            byte[] buf = new byte[1 << 20];
            long pos = 0;
            long reported = 0;
            int n;
            while (true) {
                n = 0;
                IOException damage = null;
                try {
                    // read() rather than readNBytes(), 64 KiB at a time: what was decompressed before the damage is kept
                    // (xz and lz4 drop what they inflated in the call that meets the cut: at most one such block)
                    for (int r; n < buf.length && (r = in.read(buf, n, Math.min(1 << 16, buf.length - n))) > 0; ) {
                        n += r;
                    }
                } catch (IOException e) {
                    damage = e;
                }
                if (pos == 0 && n >= 4 && (buf[0] != 0x7f || buf[1] != 'E' || buf[2] != 'L' || buf[3] != 'F')) {
                    // say so now, before writing a decompressed copy of something that is not a core into the cache
                    throw new CoreFormatException(path, 0, "compressed core", String.format("its " + kind.toString().toLowerCase(
                                    java.util.Locale.ROOT) + " stream holds something that is not an ELF core (magic %02x %02x %02x %02x, "
                                    + "expected 7f 45 4c 46)%s", buf[0], buf[1], buf[2], buf[3], CoreFile.whatItIs(buf, Math.min(n, 64))));
                }
                if (n > 0) {
                    p.checkCancelled();
                    writeSparse(ch, buf, n, pos);
                    pos += n;
                }
                long consumed = raw.count;
                if (consumed > reported) {
                    p.step(consumed - reported);
                    reported = consumed;
                }
                if (damage != null) {
                    // zstd says a cut frame is a "Truncated source" IOException, gzip and xz an EOFException
                    String what = damage instanceof java.io.EOFException || damage.getMessage() == null
                            || damage.getMessage().toLowerCase(java.util.Locale.ROOT).contains("truncated")
                            ? "ends early (the file is cut short)" : "is damaged (" + damage.getMessage() + ")";
                    cut = String.format("%s: the %s stream %s after 0x%x of %s compressed bytes; the core is cut at "
                                    + "decompressed byte 0x%x", abs.getFileName(), kind.toString().toLowerCase(java.util.Locale.ROOT),
                            what, consumed, "0x" + Long.toHexString(size), pos);
                    if (pos < 64) {
                        throw new IOException(cut + ", before the end of its ELF header: nothing can be read", damage);
                    }
                    break;
                }
                if (n < buf.length) {
                    break;
                }
            }
            ch.truncate(pos);
            if (ch.size() < pos) {
                ch.write(ByteBuffer.wrap(new byte[1]), pos - 1); // a trailing hole needs its last byte
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        if (cut != null) {
            Files.writeString(cutNote(out), cut); // before the core, so a cached core is never without its note
        }
        try {
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    /**
     * Why the decompressed core {@code plain} (made by {@link #decompressed}) is shorter than the process's dump —
     * the compressed file is cut short or damaged — or null when its stream was read to the end.
     */
    public static String cutShort(Path plain) {
        try {
            return Files.isRegularFile(cutNote(plain)) ? Files.readString(cutNote(plain)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Path cutNote(Path plain) {
        return plain.resolveSibling(plain.getFileName() + ".cut");
    }

    /** Counts the compressed bytes read, for progress and for saying where a cut file ends. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private static InputStream open(Kind kind, InputStream raw) throws IOException {
        switch (kind) {
            // gzip through the JDK (concatenated members too): its read() returns what it inflated before the input ran
            // out, where commons-compress drops it, so a cut .gz core keeps every byte up to the cut
            case GZIP: return new java.util.zip.GZIPInputStream(raw, 1 << 16);
            case ZSTD: return new ZstdCompressorInputStream(raw);
            case XZ: return new XZCompressorInputStream(raw, true);
            case LZ4: return new FramedLZ4CompressorInputStream(raw, true);
            default: throw new IllegalArgumentException(kind.toString());
        }
    }

    /** Writes {@code n} bytes at {@code pos}, skipping 4 KiB blocks of zeros (they become holes). */
    private static void writeSparse(FileChannel ch, byte[] buf, int n, long pos) throws IOException {
        int block = 4096;
        int runStart = -1;
        for (int i = 0; i < n; i += block) {
            int len = Math.min(block, n - i);
            boolean zero = true;
            for (int k = i; k < i + len; k++) {
                if (buf[k] != 0) {
                    zero = false;
                    break;
                }
            }
            if (zero) {
                if (runStart >= 0) {
                    ch.write(ByteBuffer.wrap(buf, runStart, i - runStart), pos + runStart);
                    runStart = -1;
                }
            } else if (runStart < 0) {
                runStart = i;
            }
        }
        if (runStart >= 0) {
            ch.write(ByteBuffer.wrap(buf, runStart, n - runStart), pos + runStart);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
