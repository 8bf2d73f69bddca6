package dev.leakscope;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text and tables before a post-mortem is shared: passwords in URLs, bearer/basic tokens,
 * JWTs, API keys (Stripe {@code sk_live_…}, AWS, GitHub, Slack, Google, npm…), private keys, {@code key=value}
 * secrets, cookie and session values, e-mail addresses. What is kept tells the kind:
 * {@code postgres://orders:****@db.internal:5432/orders}, {@code Bearer eyJ****}, {@code sk_live_****},
 * {@code sid=****}, {@code c****@shop.example}. Masking is idempotent. It is pattern based: it finds
 * secrets by their shape, so a secret with no recognisable shape (a bare random password) stays.
 */
public final class Redact {

    /** What replaces the secret part. */
    public static final String MASK = "****";

    /** A kind of secret: a cheap test that rules most strings out before the regex runs, the regex, the mask. */
    private record Rule(String kind, java.util.function.Predicate<String> maybe, Pattern pattern, Function<Matcher, String> replace) {
    }

    private static java.util.function.Predicate<String> has(String... parts) {
        return s -> {
            for (String p : parts) {
                if (s.contains(p)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static java.util.function.Predicate<String> hasLower(String... parts) {
        return s -> {
            if (s.indexOf('=') < 0 && s.indexOf(':') < 0) {
                return false;
            }
            String l = s.toLowerCase(java.util.Locale.ROOT);
            for (String p : parts) {
                if (l.contains(p)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static final String B64 = "[A-Za-z0-9_\\-]";

    private static final List<Rule> RULES = List.of(
            new Rule("private key", has("PRIVATE KEY"), Pattern.compile("-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)"),
                    m -> "-----BEGIN " + m.group(1) + "PRIVATE KEY-----" + MASK),
            new Rule("url password", s -> s.indexOf('@') >= 0 && s.contains("://"), Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.\\-]{1,20}://[^\\s:/@'\"<>]{0,128}:)([^\\s@/'\"<>]{1,256})@"),
                    m -> m.group(1) + MASK + "@"),
            new Rule("url secret parameter", s -> s.indexOf('=') >= 0 && (s.indexOf('?') >= 0 || s.indexOf('&') >= 0), Pattern.compile("(?i)([?&](?:password|passwd|pwd|pass|token|access_token|id_token|refresh_token|api_key|apikey|key|secret|client_secret|sig|signature|auth|code)=)([^&\\s'\"#<>]+)"),
                    m -> m.group(1) + MASK),
            new Rule("authorization", has("Bearer", "Basic", "Token", "Digest", "Negotiate"), Pattern.compile("\\b(Bearer|Basic|Token|Digest|Negotiate)(\\s+)(?=[A-Za-z0-9\\-._~+/]*[A-Z0-9])([A-Za-z0-9\\-._~+/]{1,3})[A-Za-z0-9\\-._~+/]{9,}=*"),
                    m -> m.group(1) + m.group(2) + m.group(3) + MASK),
            // header.payload.signature, or header.payload alone (what is signed, as it sits in memory), or a bare payload
            new Rule("jwt", has("eyJ"), Pattern.compile("\\b(eyJ" + B64 + "{5,})\\.(eyJ" + B64 + "{5,})(\\." + B64 + "*)?|\\beyJ" + B64 + "{16,}+(?!\\.\\*)"),
                    m -> m.group(1) != null ? m.group(1) + "." + MASK + (m.group(3) != null ? "." + MASK : "") : "eyJ" + MASK),
            new Rule("api key", has("_live_", "_test_"), Pattern.compile("\\b(sk|pk|rk|whsec)_(live|test)_[A-Za-z0-9]{6,}"),
                    m -> m.group(1) + "_" + m.group(2) + "_" + MASK),
            new Rule("api key", has("AKIA", "ASIA", "AGPA", "AIDA", "AROA"), Pattern.compile("\\b(AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}\\b"), m -> m.group(1) + MASK),
            new Rule("api key", has("gh", "github_pat_", "glpat-", "npm_", "xox", "AIza", "hf_"), Pattern.compile("\\b(gh[pousr]_|github_pat_|glpat-|npm_|xox[abprs]-|AIza|hf_)[A-Za-z0-9_\\-]{16,}"),
                    m -> m.group(1) + MASK),
            new Rule("api key", has("SG."), Pattern.compile("\\b(SG\\.)" + B64 + "{16,}\\." + B64 + "{16,}"), m -> m.group(1) + MASK),
            new Rule("api key", has("sk-"), Pattern.compile("\\b(sk-(?:proj-|ant-)?)[A-Za-z0-9_\\-]{20,}"), m -> m.group(1) + MASK),
            new Rule("secret value", hasLower("pass", "pwd", "secret", "key", "token"), Pattern.compile("(?i)(\\b(?:password|passwd|pwd|passphrase|secret|client_secret|api[_\\-]?key|apikey|access[_\\-]?key|secret[_\\-]?key|access[_\\-]?token|refresh[_\\-]?token|auth[_\\-]?token|private[_\\-]?key|token)[\"']?\\s*[:=]\\s*[\"']?)([^\"'\\s,;&}<>]{3,})"),
                    m -> m.group(1) + MASK),
            new Rule("cookie", hasLower("cookie"), Pattern.compile("(?i)\\b((?:set-)?cookie\\s*:\\s*)([^\\r\\n]*)"),
                    m -> m.group(1) + m.group(2).replaceAll("(=)[^;\\s]+", "$1" + MASK)),
            new Rule("session cookie", s -> s.indexOf('=') >= 0, Pattern.compile("(?i)\\b([A-Za-z0-9_.\\-]*(?:sid|sess|session|jwt|csrf|xsrf|auth)[A-Za-z0-9_.\\-]*=)([^;\\s,'\"&<>*]{6,})"),
                    m -> m.group(1) + MASK),
            new Rule("email", s -> s.indexOf('@') >= 0, Pattern.compile("\\b([A-Za-z0-9._%+\\-])[A-Za-z0-9._%+\\-]*@([A-Za-z0-9](?:[A-Za-z0-9\\-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9\\-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,})\\b"),
                    m -> m.group(1) + MASK + "@" + m.group(2)));

    private Redact() {
    }

    /** {@code s} with every secret it recognises masked; null stays null. */
    public static String text(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        String out = s;
        for (Rule r : RULES) {
            out = apply(r, out, null);
        }
        return out;
    }

    /** True if {@link #text(String)} would change {@code s}. */
    public static boolean containsSecret(String s) {
        return s != null && !s.equals(text(s));
    }

    /**
     * A copy of {@code t} with secrets masked in every text column (numbers, times and column names are
     * kept). Rows are not merged: a {@code countBy()} table may then hold several rows with the same masked text.
     */
    public static Table table(Table t) {
        Table copy = Table.create(t.name());
        for (Column<?> c : t.columns()) {
            if (c instanceof StringColumn sc) {
                StringColumn out = StringColumn.create(c.name());
                for (int i = 0; i < sc.size(); i++) {
                    if (sc.isMissing(i)) {
                        out.appendMissing();
                    } else {
                        out.append(text(sc.get(i)));
                    }
                }
                copy.addColumns(out);
            } else {
                copy.addColumns(c.copy());
            }
        }
        return copy;
    }

    /** What {@link #table(Table)} would mask in {@code t}: kind, count (secrets found), most frequent first. */
    public static Table findings(Table t) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Column<?> c : t.columns()) {
            if (c instanceof StringColumn sc) {
                for (int i = 0; i < sc.size(); i++) {
                    if (!sc.isMissing(i)) {
                        String s = sc.get(i);
                        for (Rule r : RULES) {
                            s = apply(r, s, counts);
                        }
                    }
                }
            }
        }
        StringColumn kind = StringColumn.create("kind");
        IntColumn count = IntColumn.create("count");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(e -> {
            kind.append(e.getKey());
            count.append(e.getValue());
        });
        return Table.create("redactions", kind, count);
    }

    private static String apply(Rule r, String s, Map<String, Integer> counts) {
        if (!r.maybe().test(s)) {
            return s;
        }
        Matcher m = r.pattern().matcher(s);
        if (!m.find()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        do {
            String rep = r.replace().apply(m);
            if (counts != null && !rep.equals(m.group())) {
                counts.merge(r.kind(), 1, Integer::sum);
            }
            m.appendReplacement(b, Matcher.quoteReplacement(rep));
        } while (m.find());
        m.appendTail(b);
        return b.toString();
    }
}
