package dev.leakscope.redact;

import dev.leakscope.Redact;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import static org.assertj.core.api.Assertions.assertThat;

/** What each kind of secret looks like after masking, and what must be left alone. */
class RedactTest {

    @Test
    void urlPasswordsKeepSchemeUserAndHost() {
        assertThat(Redact.text("postgres://orders:Pa55w0rd-Orders-7731@db.internal.example:5432/orders"))
                .isEqualTo("postgres://orders:****@db.internal.example:5432/orders");
        assertThat(Redact.text("connect redis://:s3cr3t@cache:6379/0 failed")).isEqualTo("connect redis://:****@cache:6379/0 failed");
        assertThat(Redact.text("https://api.example/v1?user=7&access_token=abc.def&x=1"))
                .isEqualTo("https://api.example/v1?user=7&access_token=****&x=1");
    }

    @Test
    void bearerTokensAndJwtsKeepTheirKind() {
        String jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjdXN0b21lcjBAc2hvcC5leGFtcGxlIn0.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assertThat(Redact.text("Bearer " + jwt)).isEqualTo("Bearer eyJ****");
        assertThat(Redact.text("token was " + jwt)).isEqualTo("token was eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.****.****");
        // a JWT payload alone (cores hold fragments) still holds claims
        assertThat(Redact.text("eyJzdWIiOiJjdXN0b21lcjBAc2hvcC5leGFtcGxlIn0")).isEqualTo("eyJ****");
        // header.payload, the signed text as it sits in memory while the HMAC is computed
        assertThat(Redact.text("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0")).isEqualTo("eyJhbGciOiJIUzI1NiJ9.****");
        assertThat(Redact.text("Authorization: Basic b3JkZXJzOlBhNTV3MHJk")).isEqualTo("Authorization: Basic b3J****");
    }

    @Test
    void apiKeysKeepTheirPrefix() {
        assertThat(Redact.text("sk_live_51HxQ2eKp8Lw3uYtZr9VbN4mC7dF0gH2j")).isEqualTo("sk_live_****");
        assertThat(Redact.text("key=AKIAIOSFODNN7EXAMPLE")).isEqualTo("key=AKIA****");
        assertThat(Redact.text("AKIAIOSFODNN7EXAMPLE")).isEqualTo("AKIA****");
        assertThat(Redact.text("ghp_16C7e42F292c6912E7710c838347Ae178B4a")).isEqualTo("ghp_****");
        assertThat(Redact.text("xoxb-1234567890-abcdefghij")).isEqualTo("xoxb-****");
        assertThat(Redact.text("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"))
                .isEqualTo("-----BEGIN RSA PRIVATE KEY-----****");
        assertThat(Redact.text("{\"password\":\"hunter22\",\"user\":\"bob\"}")).isEqualTo("{\"password\":\"****\",\"user\":\"bob\"}");
    }

    @Test
    void cookiesAndEmails() {
        assertThat(Redact.text("sid=3f2a9c0d1e4b5a6978877665")).isEqualTo("sid=****");
        assertThat(Redact.text("Cookie: theme=dark; connect.sid=s%3Aabc.def")).isEqualTo("Cookie: theme=****; connect.sid=****");
        assertThat(Redact.text("Set-Cookie: session=abcdef123456; Path=/; HttpOnly")).startsWith("Set-Cookie: session=****;");
        assertThat(Redact.text("mail customer0@shop.example now")).isEqualTo("mail c****@shop.example now");
    }

    @Test
    void ordinaryStringsOfACoreAreLeftAlone() {
        for (String s : new String[] {"Error: EMFILE: too many open files, open '/tmp/orders-uploads-x/upload-1.part'",
                "node_modules/prom-client/lib/registry.js", "https://nodejs.org/api/errors.html#err_invalid_arg_type",
                "lodash@4.17.21", "Basic information", "RequestContext", "Token ILLEGAL", "heapUsed: 9288984,",
                "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d", "process.env.NODE_ENV", "--max-old-space-size=4096"}) {
            assertThat(Redact.text(s)).as(s).isEqualTo(s);
            assertThat(Redact.containsSecret(s)).isFalse();
        }
    }

    @Test
    void maskingTwiceChangesNothing() {
        String s = "postgres://u:p4ss@h/db Bearer eyJabcdefghijklmnop.eyJabcdefghijkl.sig sk_test_abcdefgh sid=0123456789ab a.b@c.io "
                + "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.abc password=xyz";
        String once = Redact.text(s);
        assertThat(Redact.text(once)).isEqualTo(once);
        assertThat(once).doesNotContain("p4ss", "abcdefgh", "0123456789ab", "a.b@", "xyz");
    }

    @Test
    void tableCopyMasksTextColumnsOnly() {
        Table t = Table.create("strings", StringColumn.create("text", "sk_live_abcdefgh1234", "plain", null),
                IntColumn.create("count", 3, 2, 1));
        Table r = Redact.table(t);
        assertThat(r.stringColumn("text").get(0)).isEqualTo("sk_live_****");
        assertThat(r.stringColumn("text").get(1)).isEqualTo("plain");
        assertThat(r.intColumn("count").asList()).containsExactly(3, 2, 1);
        assertThat(t.stringColumn("text").get(0)).as("the input is not changed").isEqualTo("sk_live_abcdefgh1234");
        Table f = Redact.findings(t);
        assertThat(f.stringColumn("kind").asList()).containsExactly("api key");
        assertThat(f.intColumn("count").asList()).containsExactly(1);
    }
}
