package dev.leakscope.plot;

import java.util.Arrays;

/**
 * Fewer points with the same shape, so a week of samples or a million scavenges still draws quickly and fits in
 * a notebook: lines keep, per bucket of consecutive points, the first, last, lowest and highest (M4 — peaks and
 * dips survive); markers keep the highest point per bucket (the longest pauses survive). Buckets are by position;
 * the returned indices are sorted.
 */
public final class Decimate {

    private Decimate() {
    }

    /** Indices of at most about {@code maxPoints} points of a line (all of them when there are few). */
    public static int[] line(double[] y, int maxPoints) {
        int n = y.length;
        if (n <= maxPoints || maxPoints < 8) {
            return all(n);
        }
        int buckets = maxPoints / 4;
        int[] keep = new int[buckets * 4];
        int k = 0;
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * n / buckets), to = (int) ((long) (b + 1) * n / buckets);
            if (from >= to) {
                continue;
            }
            int lo = -1, hi = -1;
            for (int i = from; i < to; i++) {
                if (Double.isNaN(y[i])) {
                    continue;
                }
                if (lo < 0 || y[i] < y[lo]) {
                    lo = i;
                }
                if (hi < 0 || y[i] > y[hi]) {
                    hi = i;
                }
            }
            keep[k++] = from;
            if (lo >= 0) {
                keep[k++] = lo;
                keep[k++] = hi;
            }
            keep[k++] = to - 1;
        }
        return sortedUnique(keep, k);
    }

    /** Indices of at most {@code maxPoints} markers: the highest of each bucket. */
    public static int[] peaks(double[] y, int maxPoints) {
        int n = y.length;
        if (n <= maxPoints || maxPoints < 1) {
            return all(n);
        }
        int[] keep = new int[maxPoints];
        int k = 0;
        for (int b = 0; b < maxPoints; b++) {
            int from = (int) ((long) b * n / maxPoints), to = (int) ((long) (b + 1) * n / maxPoints);
            int hi = -1;
            for (int i = from; i < to; i++) {
                if (!Double.isNaN(y[i]) && (hi < 0 || y[i] > y[hi])) {
                    hi = i;
                }
            }
            if (hi >= 0) {
                keep[k++] = hi;
            }
        }
        return sortedUnique(keep, k);
    }

    /** The values of {@code v} at {@code idx}. */
    public static double[] pick(double[] v, int[] idx) {
        double[] o = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            o[i] = v[idx[i]];
        }
        return o;
    }

    private static int[] all(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static int[] sortedUnique(int[] a, int k) {
        int[] s = Arrays.copyOf(a, k);
        Arrays.sort(s);
        int m = 0;
        for (int i = 0; i < s.length; i++) {
            if (m == 0 || s[i] != s[m - 1]) {
                s[m++] = s[i];
            }
        }
        return Arrays.copyOf(s, m);
    }
}
