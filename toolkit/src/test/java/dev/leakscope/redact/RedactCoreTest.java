package dev.leakscope.redact;

import dev.leakscope.Redact;
import dev.leakscope.core.TestCores;
import dev.leakscope.testing.Artifacts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The secrets orders-service really holds, found by GNU {@code strings -a} in a kernel-written core of it, and
 * gone after {@link Redact#table}. The secrets to look for are read from the app's source, not from our output.
 * V8 keeps {@code `Bearer ${jwt}`} and {@code `sid=${hex}`} as ConsStrings, so the core holds "Bearer " and the
 * JWT as separate strings, and the cookie's random hex value alone, with nothing to recognise it by. What the core
 * holds of the JWTs is {@code header.payload} (the signed text, flattened for the HMAC) and the signature alone:
 * the first is masked by its shape; a bare signature or random hex value is not (see README, Redaction).
 */
class RedactCoreTest {

    static Table strings;          // text, count — like countBy(), from GNU strings
    static Table redacted;         // Redact.table(strings)
    static String password, apiKey;
    static Set<String> jwts = new LinkedHashSet<>(), emails = new LinkedHashSet<>();

    @BeforeAll
    static void core() throws Exception {
        String app = Files.readString(Artifacts.root().resolve("examples/apps/orders-service.js"));
        Matcher db = Pattern.compile("DATABASE_URL = 'postgres://\\w+:([^@']+)@").matcher(app);
        Matcher key = Pattern.compile("PAYMENTS_API_KEY = '(sk_live_\\w+)'").matcher(app);
        assertThat(db.find() && key.find()).as("the app's secrets").isTrue();
        password = db.group(1);
        apiKey = key.group(1);

        String out = TestCores.run("strings", "-a", TestCores.kernel().toString());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            counts.merge(line, 1, Integer::sum);
            find("eyJ[\\w-]{5,}\\.eyJ[\\w-]{5,}(?:\\.[\\w-]{20,})?", line, jwts);
            find("customer\\d@shop\\.example", line, emails);
        }
        StringColumn text = StringColumn.create("text");
        IntColumn count = IntColumn.create("count");
        counts.forEach((s, n) -> {
            text.append(s);
            count.append(n);
        });
        strings = Table.create("strings", text, count);
        redacted = Redact.table(strings);
    }

    private static void find(String re, String s, Set<String> into) {
        Matcher m = Pattern.compile(re).matcher(s);
        while (m.find()) {
            into.add(m.group());
        }
    }

    @Test
    void theCoreReallyHoldsTheSecrets() {
        var texts = strings.stringColumn("text").asList();
        assertThat(texts.stream().anyMatch(t -> t.contains(password))).as("the database password is in the core").isTrue();
        assertThat(texts.stream().anyMatch(t -> t.contains(apiKey))).as("the API key is in the core").isTrue();
        assertThat(jwts).as("JWTs in the core").isNotEmpty();
        assertThat(emails).as("customer e-mails in the core").isNotEmpty();
    }

    @Test
    void noSecretSurvivesRedaction() {
        Table r = redacted;
        assertThat(r.rowCount()).isEqualTo(strings.rowCount());
        assertThat(r.intColumn("count").asList()).isEqualTo(strings.intColumn("count").asList());
        String all = String.join("\n", r.stringColumn("text").asList());
        assertThat(all.contains(password)).as("password survived").isFalse();
        assertThat(all.contains(apiKey)).as("API key survived").isFalse();
        for (String jwt : jwts) {
            String[] parts = jwt.split("\\.");
            assertThat(all.contains(parts[1])).as("JWT claims survived: %s", jwt).isFalse();
            if (parts.length == 3) {
                assertThat(all.contains(parts[2])).as("JWT signature survived: %s", jwt).isFalse();
            }
        }
        for (String e : emails) {
            assertThat(all.contains(e)).as("e-mail survived: %s", e).isFalse();
        }
    }

    @Test
    void theStringsStepRedactsTooAndLosesNoString() {
        dev.leakscope.Core core = dev.leakscope.Core.open(TestCores.kernel());
        Table plain = core.strings().countBy(), masked = core.strings().redact().countBy();
        assertThat(plain.intColumn("count").sum()).as("strings -a lines").isEqualTo(strings.intColumn("count").sum());
        assertThat(masked.intColumn("count").sum()).as("masking merges equal masks, loses nothing").isEqualTo(plain.intColumn("count").sum());
        String all = String.join("\n", masked.stringColumn("text").asList());
        assertThat(all.contains(password) || all.contains(apiKey)).isFalse();
        for (String e : emails) {
            assertThat(all.contains(e)).as("e-mail %s", e).isFalse();
        }
        // grep sees the real text; what comes back is masked
        Table db = core.strings().redact().grep("postgres://").table();
        assertThat(db.rowCount()).isPositive();
        assertThat(db.stringColumn("text").asList()).allMatch(t -> !t.contains(password));
        assertThat(core.strings().grep("postgres://").table().stringColumn("text").asList()).anyMatch(t -> t.contains(password));
    }

    @Test
    void whatIsLeftTellsTheKind() {
        String all = String.join("\n", redacted.stringColumn("text").asList());
        for (String kept : new String[] {"postgres://orders:****@db.internal.example:5432/orders", "sk_live_****",
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.****", "c****@shop.example"}) {
            assertThat(all.contains(kept)).as("redacted text shows %s", kept).isTrue();
        }
        Table kinds = Redact.findings(strings);
        assertThat(kinds.stringColumn("kind").asList()).contains("url password", "api key", "jwt", "email");
    }
}
