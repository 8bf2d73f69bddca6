package dev.leakscope;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A robust monotonic trend of y over x: the Theil–Sen slope (median of pairwise slopes; insensitive to outliers
 * such as one GC spike) and the Mann–Kendall test of whether y rises or falls with x (two-sided p; exact for
 * small samples without ties, normal approximation with tie correction otherwise).
 * <pre>{@code Trend.of(x, y).slope()   Trend.of(x, y).p()}</pre>
 * NaN pairs are dropped. Fewer than 3 points give a trend with {@code n() < 3}, slope NaN and p = 1 — never
 * an exception.
 */
public final class Trend {

    private static final int MAX_PAIRS = 2_000_000;

    private final int n;
    private final double slope;
    private final double intercept;
    private final double lowSlope;
    private final double highSlope;
    private final long s;
    private final double z;
    private final double p;
    private final double tau;

    private Trend(int n, double slope, double intercept, double low, double high, long s, double z, double p, double tau) {
        this.n = n;
        this.slope = slope;
        this.intercept = intercept;
        this.lowSlope = low;
        this.highSlope = high;
        this.s = s;
        this.z = z;
        this.p = p;
        this.tau = tau;
    }

    /** The trend of y over x (same length; NaN pairs dropped). */
    public static Trend of(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values, y has " + y.length);
        }
        int m = 0;
        double[] xs = new double[x.length], ys = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                xs[m] = x[i];
                ys[m] = y[i];
                m++;
            }
        }
        xs = Arrays.copyOf(xs, m);
        ys = Arrays.copyOf(ys, m);
        // order by x
        Integer[] idx = new Integer[m];
        for (int i = 0; i < m; i++) {
            idx[i] = i;
        }
        final double[] fx = xs;
        Arrays.sort(idx, (a, b) -> Double.compare(fx[a], fx[b]));
        double[] sx = new double[m], sy = new double[m];
        for (int i = 0; i < m; i++) {
            sx[i] = xs[idx[i]];
            sy[i] = ys[idx[i]];
        }
        return compute(sx, sy);
    }

    /** The trend of y over its index 0, 1, 2… */
    public static Trend of(double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return of(x, y);
    }

    private static Trend compute(double[] x, double[] y) {
        int n = x.length;
        if (n < 3) {
            return new Trend(n, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 1, 0);
        }
        long pairs = (long) n * (n - 1) / 2;
        double[] slopes;
        long sSum = 0;
        if (pairs <= MAX_PAIRS) {
            slopes = new double[(int) pairs];
            int k = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    double dx = x[j] - x[i];
                    sSum += Long.signum(Double.compare(y[j], y[i])) * (y[j] == y[i] ? 0 : 1);
                    if (dx != 0) {
                        slopes[k++] = (y[j] - y[i]) / dx;
                    }
                }
            }
            slopes = Arrays.copyOf(slopes, k);
        } else {
            // many points: the MK statistic by counting exactly would be O(n²); sample pairs for both
            SplittableRandom rnd = new SplittableRandom(42);
            slopes = new double[MAX_PAIRS];
            int k = 0;
            long sSample = 0;
            for (int t = 0; t < MAX_PAIRS; t++) {
                int i = rnd.nextInt(n);
                int j = rnd.nextInt(n);
                if (i == j) {
                    continue;
                }
                if (i > j) {
                    int tmp = i;
                    i = j;
                    j = tmp;
                }
                double dx = x[j] - x[i];
                sSample += y[j] > y[i] ? 1 : y[j] < y[i] ? -1 : 0;
                if (dx != 0) {
                    slopes[k++] = (y[j] - y[i]) / dx;
                }
            }
            slopes = Arrays.copyOf(slopes, k);
            sSum = Math.round(sSample * (double) pairs / MAX_PAIRS);
        }
        if (slopes.length == 0) {
            return new Trend(n, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 1, 0);
        }
        Arrays.sort(slopes);
        double slope = median(slopes);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = y[i] - slope * x[i];
        }
        Arrays.sort(r);
        double intercept = median(r);
        // variance of S with tie correction
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        double tieTerm = 0;
        boolean ties = false;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && sorted[j] == sorted[i]) {
                j++;
            }
            long t = j - i;
            if (t > 1) {
                ties = true;
                tieTerm += t * (t - 1) * (2 * t + 5);
            }
            i = j;
        }
        double var = ((double) n * (n - 1) * (2 * n + 5) - tieTerm) / 18.0;
        double z = 0;
        if (var > 0) {
            z = sSum > 0 ? (sSum - 1) / Math.sqrt(var) : sSum < 0 ? (sSum + 1) / Math.sqrt(var) : 0;
        }
        double p;
        if (!ties && n <= 40 && pairs <= MAX_PAIRS) {
            p = exactP(n, sSum);
        } else {
            p = Math.min(1, 2 * Normal.upperTail(Math.abs(z)));
        }
        if (sSum == 0) {
            p = 1;
        }
        // 95 % confidence interval of the slope (Sen 1968): ranks of the pairwise slopes
        double c = 1.959964 * Math.sqrt(var);
        int len = slopes.length;
        int lo = (int) Math.floor((len - c) / 2.0);
        int hi = (int) Math.ceil((len + c) / 2.0);
        double low = lo >= 0 && lo < len ? slopes[lo] : Double.NaN;
        double high = hi >= 0 && hi < len ? slopes[hi] : Double.NaN;
        return new Trend(n, slope, intercept, low, high, sSum, z, p, sSum / (double) pairs);
    }

    /** Two-sided exact p of Mann–Kendall's S without ties: S = 2·(concordant) − pairs; counts are Mahonian numbers. */
    private static double exactP(int n, long s) {
        // counts[k] = permutations of n with k inversions
        int maxInv = n * (n - 1) / 2;
        double[] counts = new double[maxInv + 1];
        counts[0] = 1;
        for (int m = 2; m <= n; m++) {
            double[] next = new double[maxInv + 1];
            int limit = m * (m - 1) / 2;
            double window = 0;
            for (int k = 0; k <= limit; k++) {
                window += counts[k];
                if (k - m >= 0) {
                    window -= counts[k - m];
                }
                next[k] = window;
            }
            counts = next;
        }
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        // S = pairs - 2·inversions
        long abs = Math.abs(s);
        double tail = 0;
        for (int k = 0; k <= maxInv; k++) {
            long sk = maxInv - 2L * k;
            if (Math.abs(sk) >= abs) {
                tail += counts[k];
            }
        }
        return Math.min(1, tail / total);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Number of points used. */
    public int n() {
        return n;
    }

    /** Theil–Sen slope: y units per x unit (NaN with fewer than 3 points). */
    public double slope() {
        return slope;
    }

    /** Intercept of the Theil–Sen line (median of y − slope·x). */
    public double intercept() {
        return intercept;
    }

    /** Lower end of the 95 % confidence interval of the slope. */
    public double slopeLow() {
        return lowSlope;
    }

    /** Upper end of the 95 % confidence interval of the slope. */
    public double slopeHigh() {
        return highSlope;
    }

    /** Mann–Kendall S (concordant minus discordant pairs). */
    public long s() {
        return s;
    }

    /** Mann–Kendall Z (continuity corrected). */
    public double z() {
        return z;
    }

    /** Two-sided p value of "no monotonic trend". */
    public double p() {
        return p;
    }

    /** One-sided p value of "y does not rise with x" (half the two-sided p when S &gt; 0). */
    public double pRising() {
        return s > 0 ? p / 2 : 1 - p / 2;
    }

    /** Kendall's tau (S over the number of pairs). */
    public double tau() {
        return tau;
    }

    /** Whether y rises with x at significance level alpha (one-sided: S &gt; 0 and {@link #pRising()} &lt; alpha). */
    public boolean rising(double alpha) {
        return s > 0 && pRising() < alpha;
    }

    @Override
    public String toString() {
        return String.format("Trend[n=%d, slope=%.4g (95%% CI %.4g..%.4g), S=%d, tau=%.3f, p=%.3g]",
                n, slope, lowSlope, highSlope, s, tau, p);
    }

    /** The standard normal distribution's upper tail, to 1e-15 relative accuracy. */
    static final class Normal {
        private Normal() {
        }

        /** P(Z &gt; z). */
        static double upperTail(double z) {
            return 0.5 * erfc(z / Math.sqrt(2));
        }

        /** Complementary error function (W. J. Cody's rational approximations via Numerical Recipes' erfc). */
        static double erfc(double x) {
            // Numerical Recipes 3rd ed. Erf::erfccheb, relative accuracy ~1.2e-16
            if (x < 0) {
                return 2 - erfc(-x);
            }
            double t = 2 / (2 + x);
            double ty = 4 * t - 2;
            double d = 0, dd = 0;
            for (int j = COF.length - 1; j > 0; j--) {
                double tmp = d;
                d = ty * d - dd + COF[j];
                dd = tmp;
            }
            return t * Math.exp(-x * x + 0.5 * (COF[0] + ty * d) - dd);
        }

        private static final double[] COF = {-1.3026537197817094, 6.4196979235649026e-1,
                1.9476473204185836e-2, -9.561514786808631e-3, -9.46595344482036e-4, 3.66839497852761e-4,
                4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6, 1.303655835580e-6,
                1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9, -9.91364156e-10,
                -2.27365122e-10, 9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13,
                -1.12708e-13, 3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17};
    }
}
