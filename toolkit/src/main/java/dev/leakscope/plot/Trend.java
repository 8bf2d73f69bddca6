package dev.leakscope.plot;

import java.util.Arrays;

/**
 * A robust straight-line fit: Theil–Sen (median of pairwise slopes, intercept the median residual). An outlier
 * (one huge GC) does not tilt it the way least squares would. O(n²) pairs; above 2,000 points it fits an
 * evenly spaced subset.
 */
public record Trend(double slope, double intercept, int points) {

    private static final int MAX_POINTS = 2000;

    /** The value of the fitted line at {@code x}. */
    public double at(double x) {
        return intercept + slope * x;
    }

    /** Fits y = intercept + slope·x over the finite pairs; null with fewer than 2 distinct x. */
    public static Trend theilSen(double[] x, double[] y) {
        int n = 0;
        double[] xs = new double[x.length], ys = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                xs[n] = x[i];
                ys[n++] = y[i];
            }
        }
        if (n > MAX_POINTS) {
            double[] sx = new double[MAX_POINTS], sy = new double[MAX_POINTS];
            for (int i = 0; i < MAX_POINTS; i++) {
                int j = (int) ((long) i * (n - 1) / (MAX_POINTS - 1));
                sx[i] = xs[j];
                sy[i] = ys[j];
            }
            xs = sx;
            ys = sy;
            n = MAX_POINTS;
        }
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (xs[j] != xs[i]) {
                    slopes[k++] = (ys[j] - ys[i]) / (xs[j] - xs[i]);
                }
            }
        }
        if (k == 0) {
            return null;
        }
        double slope = median(Arrays.copyOf(slopes, k));
        double[] res = new double[n];
        for (int i = 0; i < n; i++) {
            res[i] = ys[i] - slope * xs[i];
        }
        return new Trend(slope, median(res), n);
    }

    static double median(double[] v) {
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
