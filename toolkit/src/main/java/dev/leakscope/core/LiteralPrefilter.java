package dev.leakscope.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Literals one of which every match of a regular expression must contain, found by a conservative walk of the
 * pattern: {@code (Error|ENOMEM|EMFILE|leak)} gives the four words; {@code node_modules/.+\.js} gives
 * {@code node_modules/}. A scanner looks for these bytes first and runs the regex only on the strings that
 * hold one. Patterns it does not understand (flags, classes only, lookarounds…) give no prefilter, never a
 * wrong one.
 */
public final class LiteralPrefilter {

    private final List<String> literals;

    private LiteralPrefilter(List<String> literals) {
        this.literals = List.copyOf(literals);
    }

    /** The required literals (printable ASCII), any one of which a match contains. */
    public List<String> literals() {
        return literals;
    }

    /** A prefilter for {@code p}, or {@code null} when none is known to be safe or useful (shortest literal &lt; 3). */
    public static LiteralPrefilter of(Pattern p) {
        if (p.flags() != 0) {
            return null;
        }
        try {
            Parser parser = new Parser(p.pattern());
            Set<String> req = parser.alternation();
            if (parser.pos != parser.s.length() || req == null || req.isEmpty()) {
                return null;
            }
            for (String l : req) {
                if (l.length() < 3) {
                    return null;
                }
                for (int i = 0; i < l.length(); i++) {
                    char c = l.charAt(i);
                    if (c != '\t' && (c < 0x20 || c > 0x7e)) {
                        return null;
                    }
                }
            }
            // drop literals containing another (the shorter one already covers them)
            List<String> out = new ArrayList<>();
            for (String l : req) {
                boolean covered = false;
                for (String o : req) {
                    if (!o.equals(l) && l.contains(o)) {
                        covered = true;
                        break;
                    }
                }
                if (!covered) {
                    out.add(l);
                }
            }
            return out.size() > 16 ? null : new LiteralPrefilter(out);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Recursive-descent walk computing, for each sub-pattern, a set of literals one of which any match contains. */
    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        /** alternation := sequence ('|' sequence)*; null = no requirement. */
        Set<String> alternation() {
            Set<String> all = new LinkedHashSet<>();
            boolean none = false;
            while (true) {
                Set<String> seq = sequence();
                if (seq == null) {
                    none = true;
                } else {
                    all.addAll(seq);
                }
                if (pos < s.length() && s.charAt(pos) == '|') {
                    pos++;
                    continue;
                }
                break;
            }
            return none ? null : all;
        }

        /** sequence := item*; the best requirement among its literal runs and groups. */
        Set<String> sequence() {
            Set<String> best = null;
            StringBuilder run = new StringBuilder();
            while (pos < s.length() && s.charAt(pos) != '|' && s.charAt(pos) != ')') {
                char c = s.charAt(pos);
                Set<String> groupReq = null;
                String lit = null;
                boolean breaks = false;
                if (c == '(') {
                    pos++;
                    if (s.startsWith("?:", pos)) {
                        pos += 2;
                    } else if (s.startsWith("?", pos)) {
                        throw new IllegalArgumentException("lookaround or flags");
                    }
                    groupReq = alternation();
                    expect(')');
                    breaks = true;
                } else if (c == '[') {
                    skipClass();
                    breaks = true;
                } else if (c == '.' || c == '^' || c == '$') {
                    pos++;
                    breaks = true;
                } else if (c == '\\') {
                    char e = s.charAt(pos + 1);
                    pos += 2;
                    if (Character.isLetterOrDigit(e)) {
                        if ("tnrfae".indexOf(e) >= 0 || e == 'x' || e == 'u' || e == '0' || e == 'c' || e == 'p'
                                || e == 'P' || e == 'Q' || e == 'k' || e == 'N') {
                            if (e == 't') {
                                lit = "\t";
                            } else {
                                throw new IllegalArgumentException("escape \\" + e);
                            }
                        } else {
                            breaks = true; // \d \w \s \b \B \A \z \G, back references
                            if (Character.isDigit(e)) {
                                throw new IllegalArgumentException("back reference");
                            }
                        }
                    } else {
                        lit = String.valueOf(e);
                    }
                } else if (c == '*' || c == '+' || c == '?' || c == '{') {
                    throw new IllegalArgumentException("dangling quantifier");
                } else {
                    pos++;
                    lit = String.valueOf(c);
                }
                int min = quantifier();
                if (lit != null) {
                    if (min == 1 && !quantified) {
                        run.append(lit);
                    } else if (min >= 1) {
                        run.append(lit);      // at least one occurrence, then the run ends
                        best = better(best, run);
                        run.setLength(0);
                    } else {
                        best = better(best, run);
                        run.setLength(0);
                    }
                } else {
                    best = better(best, run);
                    run.setLength(0);
                    if (groupReq != null && min >= 1) {
                        best = better(best, groupReq);
                    }
                }
                if (breaks && lit == null) {
                    continue;
                }
            }
            best = better(best, run);
            return best;
        }

        boolean quantified;

        /** Reads an optional quantifier; returns its minimum (1 when none). */
        int quantifier() {
            quantified = false;
            if (pos >= s.length()) {
                return 1;
            }
            char c = s.charAt(pos);
            int min;
            if (c == '*' || c == '?') {
                pos++;
                min = 0;
            } else if (c == '+') {
                pos++;
                min = 1;
            } else if (c == '{') {
                int close = s.indexOf('}', pos);
                String body = s.substring(pos + 1, close);
                String lo = body.contains(",") ? body.substring(0, body.indexOf(',')) : body;
                min = Integer.parseInt(lo.trim());
                pos = close + 1;
            } else {
                return 1;
            }
            quantified = true;
            if (pos < s.length() && (s.charAt(pos) == '?' || s.charAt(pos) == '+')) {
                pos++;
            }
            return min;
        }

        void skipClass() {
            pos++; // [
            if (pos < s.length() && s.charAt(pos) == '^') {
                pos++;
            }
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
            }
            while (s.charAt(pos) != ']') {
                if (s.charAt(pos) == '\\') {
                    pos++;
                } else if (s.charAt(pos) == '[') {
                    throw new IllegalArgumentException("nested class");
                }
                pos++;
            }
            pos++;
        }

        void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw new IllegalArgumentException("expected " + c);
            }
            pos++;
        }

        static Set<String> better(Set<String> best, CharSequence run) {
            if (run.length() == 0) {
                return best;
            }
            Set<String> one = new LinkedHashSet<>();
            one.add(run.toString());
            return better(best, one);
        }

        static Set<String> better(Set<String> a, Set<String> b) {
            if (a == null) {
                return b;
            }
            if (b == null) {
                return a;
            }
            int ma = minLen(a);
            int mb = minLen(b);
            if (mb != ma) {
                return mb > ma ? b : a;
            }
            return b.size() < a.size() ? b : a;
        }

        static int minLen(Set<String> s) {
            int m = Integer.MAX_VALUE;
            for (String x : s) {
                m = Math.min(m, x.length());
            }
            return m;
        }
    }
}
