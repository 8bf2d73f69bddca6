package dev.leakscope.logs;

/**
 * Numbers as logs write them, read from bytes: {@code 40837120}, numeric separators {@code 42_803_200},
 * decimals, exponents, quoted strings with a unit ({@code '40.5 MB'}, {@code "512 KiB"}). Units are binary
 * (KB = KiB = 1024 B, MB = MiB), as Node code that divides by 1024*1024 writes them.
 */
final class Amounts {

    /** Where the last {@link #parse} stopped. */
    int pos;
    /** Whether the last parsed amount carried a byte unit. */
    boolean hadUnit;

    /** The amount starting at {@code b[p]} (after optional quotes), in bytes when a unit follows; NaN if none. */
    double parse(byte[] b, int p, int end) {
        hadUnit = false;
        byte quote = 0;
        if (p < end && (b[p] == '\'' || b[p] == '"' || b[p] == '`')) {
            quote = b[p++];
        }
        boolean neg = false;
        if (p < end && (b[p] == '-' || b[p] == '+')) {
            neg = b[p] == '-';
            p++;
        }
        long mant = 0;
        int digits = 0;
        int fracDigits = 0;
        boolean frac = false;
        boolean overflow = false;
        double big = 0;
        while (p < end) {
            byte c = b[p];
            if (c >= '0' && c <= '9') {
                if (digits < 18) {
                    mant = mant * 10 + (c - '0');
                    if (frac) {
                        fracDigits++;
                    }
                } else {
                    overflow = true;
                    if (!frac) {
                        fracDigits--; // one more integer digit than kept
                    }
                }
                digits++;
            } else if (c == '_' && digits > 0 && !frac) {
                // numeric separator
            } else if (c == '.' && !frac) {
                frac = true;
            } else {
                break;
            }
            p++;
        }
        if (digits == 0) {
            pos = p;
            return Double.NaN;
        }
        double v = fracDigits >= 0 ? mant / POW10[Math.min(fracDigits, 22)] : mant * POW10[Math.min(-fracDigits, 22)];
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            int q = p + 1;
            boolean eneg = false;
            if (q < end && (b[q] == '-' || b[q] == '+')) {
                eneg = b[q] == '-';
                q++;
            }
            int ex = 0;
            int s = q;
            while (q < end && b[q] >= '0' && b[q] <= '9' && q - s < 4) {
                ex = ex * 10 + (b[q] - '0');
                q++;
            }
            if (q > s) {
                v = eneg ? v / Math.pow(10, ex) : v * Math.pow(10, ex);
                p = q;
            }
        }
        // unit
        int q = p;
        while (q < end && b[q] == ' ') {
            q++;
        }
        double mult = unit(b, q, end);
        if (mult > 0) {
            v *= mult;
            hadUnit = true;
            p = unitEnd;
        }
        if (quote != 0 && p < end && b[p] == quote) {
            p++;
        }
        pos = p;
        return neg ? -v : v;
    }

    /**
     * The amount in parentheses at {@code b[p]}, as --trace-gc writes the committed size ({@code 12.3 (15.0) ->});
     * NaN, and {@link #pos} = {@code p}, when {@code b[p]} is not {@code '('}. {@link #pos} ends past the {@code ')'}.
     */
    double parenthesised(byte[] b, int p, int end) {
        if (p >= end || b[p] != '(') {
            pos = p;
            return Double.NaN;
        }
        double v = parse(b, p + 1, end);
        if (pos < end && b[pos] == ')') {
            pos++;
        }
        return v;
    }

    private int unitEnd;

    private double unit(byte[] b, int q, int end) {
        if (q >= end) {
            return 0;
        }
        int c = b[q] | 0x20;
        double m;
        switch (c) {
            case 'b': unitEnd = q + 1; return endsWord(b, unitEnd, end) ? 1 : 0;
            case 'k': m = 1024; break;
            case 'm': m = 1024 * 1024; break;
            case 'g': m = 1024.0 * 1024 * 1024; break;
            case 't': m = 1024.0 * 1024 * 1024 * 1024; break;
            default: return 0;
        }
        int r = q + 1;
        if (r < end && b[r] == 'i') {
            r++;
        }
        if (r < end && (b[r] | 0x20) == 'b' && endsWord(b, r + 1, end)) {
            unitEnd = r + 1;
            return m;
        }
        return 0;
    }

    private static boolean endsWord(byte[] b, int p, int end) {
        if (p >= end) {
            return true;
        }
        byte c = b[p];
        return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
    }

    private static final double[] POW10 = new double[23];

    static {
        double v = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = v;
            v *= 10;
        }
    }
}
