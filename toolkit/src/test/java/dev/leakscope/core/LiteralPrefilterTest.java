package dev.leakscope.core;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class LiteralPrefilterTest {

    static java.util.List<String> lits(String re) {
        LiteralPrefilter p = LiteralPrefilter.of(Pattern.compile(re));
        return p == null ? null : p.literals();
    }

    @Test
    void findsTheLiteralsEveryMatchNeeds() {
        assertThat(lits("(Error|ENOMEM|EMFILE|leak)")).containsExactlyInAnyOrder("Error", "ENOMEM", "EMFILE", "leak");
        assertThat(lits("node_modules/.+\\.js")).containsExactly("node_modules/");
        assertThat(lits("(heapTotal|heapUsed|external|arrayBuffers|rss):")).containsExactlyInAnyOrder("heapTotal",
                "heapUsed", "external", "arrayBuffers", "rss"); // a group's literals, not joined with what follows
        assertThat(lits("colou?r of")).containsExactly("colo");
        assertThat(lits("ab+cde")).containsExactly("cde");
    }

    @Test
    void givesUpRatherThanGuess() {
        assertThat(lits("[0-9a-f]{8}-[0-9a-f]{4}")).isNull();     // only classes: no literal ≥ 3
        assertThat(lits("(?i)error")).isNull();                    // flags
        assertThat(lits("(error)?")).isNull();                     // optional
        assertThat(lits("err|x")).isNull();                        // a branch with a too-short literal
        assertThat(lits("(?=Error)Err")).isNull();                 // lookaround
        assertThat(LiteralPrefilter.of(Pattern.compile("Error", Pattern.CASE_INSENSITIVE))).isNull();
    }

    /** Property: whenever the regex finds a match, the text contains one of the literals. */
    @Test
    void neverMissesAMatch() {
        String[] res = {"(Error|ENOMEM|EMFILE|leak)", "Err(or)+ [a-z]{2,}", "ab+c(de|fgh)", "x*yzw(abc)?q",
                "(foo|bar)baz", "a.c.d[ef]ghi", "(?:EMF|ENO)ILE", "\\.js\\b", "q{2,3}rst"};
        Random r = new Random(1);
        String alphabet = "abcdefghiqrstwxyzEMFILNOrok. j";
        for (String re : res) {
            Pattern p = Pattern.compile(re);
            LiteralPrefilter f = LiteralPrefilter.of(p);
            if (f == null) {
                continue;
            }
            for (int n = 0; n < 20_000; n++) {
                StringBuilder sb = new StringBuilder();
                int len = 3 + r.nextInt(20);
                for (int i = 0; i < len; i++) {
                    sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                if (r.nextBoolean()) {
                    sb.insert(r.nextInt(sb.length()), re.replaceAll("[^A-Za-z.]", ""));
                }
                String s = sb.toString();
                if (p.matcher(s).find()) {
                    assertThat(f.literals().stream().anyMatch(s::contains)).as("/%s/ on %s via %s", re, s, f.literals())
                            .isTrue();
                }
            }
        }
    }
}
