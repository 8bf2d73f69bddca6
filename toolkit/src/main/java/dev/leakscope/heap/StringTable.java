package dev.leakscope.heap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A snapshot's {@code strings} array packed into 16 MB byte pages instead of millions of {@code String} objects
 * (an 800 MB snapshot holds 2.4 M strings: ~150 MB as Strings, ~55 MB here). A string whose chars all fit in
 * one byte is stored as Latin-1, any other as UTF-16 (two bytes a char, so lone surrogates, which V8 writes,
 * survive). Addresses are {@code long}, so the total may exceed 2 GB; a string larger than a quarter page gets an
 * array of its own. Appended once by the reader (or the cache), read-only afterwards; {@link #get} makes the
 * {@code String} when a query asks for it.
 */
public final class StringTable {

    static final int PAGE_BITS = 24;
    static final int PAGE = 1 << PAGE_BITS;
    private static final int BIG = PAGE / 4;
    private static final long UTF16 = 1, SEPARATE = 2;

    /** Per string: (address or index into {@link #separate}) << 2 | flags. */
    private long[] where;
    /** Per string: length in bytes. */
    private int[] bytes;
    private int count;
    private byte[][] pages = new byte[0][];
    private long used; // bytes used in pages (global address of the next byte)
    private final List<byte[]> separate = new ArrayList<>();

    /** An empty table with room for {@code expected} strings (grows as needed). */
    public StringTable(int expected) {
        int cap = Math.max(16, expected);
        where = new long[cap];
        bytes = new int[cap];
    }

    /** The table of {@code strings}. */
    public static StringTable of(String... strings) {
        StringTable t = new StringTable(strings.length);
        for (String s : strings) {
            t.add(s);
        }
        return t.trim();
    }

    /** Number of strings. */
    public int size() {
        return count;
    }

    /** String {@code i} (0 ≤ i < size()). */
    public String get(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("string " + i + " of " + count);
        }
        long w = where[i];
        int n = bytes[i];
        byte[] a;
        int off;
        if ((w & SEPARATE) != 0) {
            a = separate.get((int) (w >>> 2));
            off = 0;
        } else {
            long addr = w >>> 2;
            a = pages[(int) (addr >>> PAGE_BITS)];
            off = (int) (addr & (PAGE - 1));
        }
        if ((w & UTF16) == 0) {
            return new String(a, off, n, StandardCharsets.ISO_8859_1);
        }
        char[] c = new char[n / 2];
        for (int k = 0; k < c.length; k++) {
            c[k] = (char) (((a[off + 2 * k] & 0xff) << 8) | (a[off + 2 * k + 1] & 0xff));
        }
        return new String(c);
    }

    /** Length of string {@code i} in chars. */
    public int length(int i) {
        return (where[i] & UTF16) != 0 ? bytes[i] / 2 : bytes[i];
    }

    /** The last char of string {@code i}, or -1 when it is empty (cheap: no String is made). */
    public int lastChar(int i) {
        int n = bytes[i];
        if (n == 0) {
            return -1;
        }
        long w = where[i];
        byte[] a;
        int end;
        if ((w & SEPARATE) != 0) {
            a = separate.get((int) (w >>> 2));
            end = n;
        } else {
            long addr = w >>> 2;
            a = pages[(int) (addr >>> PAGE_BITS)];
            end = (int) (addr & (PAGE - 1)) + n;
        }
        if ((w & UTF16) == 0) {
            return a[end - 1] & 0xff;
        }
        return ((a[end - 2] & 0xff) << 8) | (a[end - 1] & 0xff);
    }

    /** Appends {@code s}. */
    public void add(String s) {
        int n = s.length();
        boolean latin1 = true;
        for (int k = 0; k < n; k++) {
            if (s.charAt(k) > 0xff) {
                latin1 = false;
                break;
            }
        }
        if (latin1) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            addBytes(b, 0, b.length, 0);
            return;
        }
        if ((long) n * 2 > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("string of " + n + " chars is too long");
        }
        byte[] b = new byte[2 * n];
        for (int k = 0; k < n; k++) {
            char c = s.charAt(k);
            b[2 * k] = (byte) (c >>> 8);
            b[2 * k + 1] = (byte) c;
        }
        addBytes(b, 0, b.length, UTF16);
    }

    /** Appends the Latin-1 (or ASCII) string in {@code b[off, off + len)}. */
    public void addLatin1(byte[] b, int off, int len) {
        addBytes(b, off, len, 0);
    }

    private void addBytes(byte[] b, int off, int len, long flags) {
        if (count == where.length) {
            int cap = (int) Math.min(Integer.MAX_VALUE - 16L, count + (count >> 1) + 16L);
            if (cap <= count) {
                throw new IllegalStateException("more than 2^31 strings");
            }
            where = Arrays.copyOf(where, cap);
            bytes = Arrays.copyOf(bytes, cap);
        }
        if (len > BIG) {
            separate.add(Arrays.copyOfRange(b, off, off + len));
            where[count] = ((long) (separate.size() - 1) << 2) | SEPARATE | flags;
        } else {
            long inPage = used & (PAGE - 1);
            if (used == 0 || inPage + len > PAGE || (used >>> PAGE_BITS) >= pages.length) {
                if (used != 0 && inPage != 0 && inPage + len > PAGE) {
                    used = ((used >>> PAGE_BITS) + 1) << PAGE_BITS; // the string does not fit: next page
                }
                int page = (int) (used >>> PAGE_BITS);
                if (page >= pages.length) {
                    pages = Arrays.copyOf(pages, page + 1);
                    pages[page] = new byte[PAGE];
                }
            }
            System.arraycopy(b, off, pages[(int) (used >>> PAGE_BITS)], (int) (used & (PAGE - 1)), len);
            where[count] = (used << 2) | flags;
            used += len;
        }
        bytes[count] = len;
        count++;
    }

    /** Drops unused capacity (after the last string was added). */
    public StringTable trim() {
        where = Arrays.copyOf(where, count);
        bytes = Arrays.copyOf(bytes, count);
        if (pages.length > 0) {
            int last = pages.length - 1;
            int usedInLast = (int) (used - ((long) last << PAGE_BITS));
            if (usedInLast >= 0 && usedInLast < PAGE) {
                pages[last] = Arrays.copyOf(pages[last], usedInLast);
            }
        }
        return this;
    }

    /** Bytes held (pages, separate strings, per-string addresses and lengths). */
    public long memoryBytes() {
        long m = (long) where.length * 8 + (long) bytes.length * 4;
        for (byte[] p : pages) {
            m += p.length;
        }
        for (byte[] s : separate) {
            m += s.length;
        }
        return m;
    }

    // ---- for the cache ----

    long[] rawWhere() {
        return where;
    }

    int[] rawBytes() {
        return bytes;
    }

    byte[][] rawPages() {
        return pages;
    }

    List<byte[]> rawSeparate() {
        return separate;
    }

    long rawUsed() {
        return used;
    }

    static StringTable raw(long[] where, int[] bytes, byte[][] pages, List<byte[]> separate, long used) {
        StringTable t = new StringTable(0);
        t.where = where;
        t.bytes = bytes;
        t.count = where.length;
        t.pages = pages;
        t.used = used;
        t.separate.addAll(separate);
        return t;
    }
}
