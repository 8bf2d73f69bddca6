package dev.leakscope.logs;

import java.util.Arrays;

/** Growable primitive columns for parsers: one array per column, no object per value. */
final class Growable {
    private Growable() {
    }

    /** A growable {@code long[]}; {@link Long#MIN_VALUE} marks a missing value. */
    static final class Longs {
        long[] a = new long[64];
        int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }

        /** Appends the first {@code m} values of {@code o}. */
        void addAll(Longs o) {
            ensure(n + o.n);
            System.arraycopy(o.a, 0, a, n, o.n);
            n += o.n;
        }

        /** Appends {@code m} copies of {@code v}. */
        void fill(long v, int m) {
            ensure(n + m);
            Arrays.fill(a, n, n + m, v);
            n += m;
        }

        void ensure(int cap) {
            if (cap > a.length) {
                a = Arrays.copyOf(a, Math.max(cap, a.length * 2));
            }
        }
    }

    /** A growable {@code double[]}; NaN marks a missing value. */
    static final class Doubles {
        double[] a = new double[64];
        int n;

        void add(double v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(a, n);
        }

        /** Appends the first {@code m} values of {@code o}. */
        void addAll(Doubles o) {
            ensure(n + o.n);
            System.arraycopy(o.a, 0, a, n, o.n);
            n += o.n;
        }

        /** Appends {@code m} copies of {@code v}. */
        void fill(double v, int m) {
            ensure(n + m);
            Arrays.fill(a, n, n + m, v);
            n += m;
        }

        void ensure(int cap) {
            if (cap > a.length) {
                a = Arrays.copyOf(a, Math.max(cap, a.length * 2));
            }
        }
    }

    /** A growable {@code int[]}. */
    static final class Ints {
        int[] a = new int[64];
        int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }

        /** Appends the first {@code m} values of {@code o}. */
        void addAll(Ints o) {
            ensure(n + o.n);
            System.arraycopy(o.a, 0, a, n, o.n);
            n += o.n;
        }

        /** Appends {@code m} copies of {@code v}. */
        void fill(int v, int m) {
            ensure(n + m);
            Arrays.fill(a, n, n + m, v);
            n += m;
        }

        void ensure(int cap) {
            if (cap > a.length) {
                a = Arrays.copyOf(a, Math.max(cap, a.length * 2));
            }
        }
    }
}
