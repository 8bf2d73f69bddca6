package dev.leakscope.heap;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The packed string table gives back exactly the strings put in: any UTF-16 content, page edges, huge strings. */
class StringTableTest {

    @Test
    void everyKindOfStringComesBackEqual() {
        List<String> in = List.of("", "a", "ascii with \"quotes\" and \\", "é ü ÿ (Latin-1)", "日本語", "😀 emoji (a surrogate pair)",
                "\ud800 lone high surrogate", "lone low \udc00", "\u0000 nul", "mixed é 日 😀 \ud83d");
        StringTable t = StringTable.of(in.toArray(new String[0]));
        assertThat(t.size()).isEqualTo(in.size());
        for (int i = 0; i < in.size(); i++) {
            String s = in.get(i);
            assertThat(t.get(i)).isEqualTo(s);
            assertThat(t.length(i)).isEqualTo(s.length());
            assertThat(t.lastChar(i)).isEqualTo(s.isEmpty() ? -1 : s.charAt(s.length() - 1));
        }
        assertThatThrownBy(() -> t.get(in.size())).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void latin1BytesAreStoredAsGiven() {
        StringTable t = new StringTable(4);
        byte[] buf = "xx(GC roots)yy".getBytes(StandardCharsets.ISO_8859_1);
        t.addLatin1(buf, 2, 10);
        t.add("after");
        t.trim();
        assertThat(t.get(0)).isEqualTo("(GC roots)");
        assertThat(t.get(1)).isEqualTo("after");
    }

    @Test
    void stringsAcrossManyPagesAndHugeOnes() {
        Random r = new Random(42);
        List<String> in = new ArrayList<>();
        StringTable t = new StringTable(16);
        long chars = 0;
        // ~40 MB of strings: several 16 MB pages, strings that do not fit the rest of a page, and separate huge ones
        while (chars < 40_000_000L) {
            int len = r.nextInt(20) == 0 ? 1_000_000 + r.nextInt(3_000_000) : r.nextInt(200);
            if (in.size() == 7) {
                len = StringTable.PAGE / 2; // larger than a quarter page: an array of its own
            }
            StringBuilder sb = new StringBuilder(len);
            boolean wide = r.nextBoolean();
            for (int k = 0; k < len; k++) {
                sb.append(wide && k % 7 == 0 ? (char) (0x3000 + r.nextInt(0xD000)) : (char) ('a' + r.nextInt(26)));
            }
            String s = sb.toString();
            in.add(s);
            t.add(s);
            chars += len;
        }
        t.trim();
        assertThat(t.size()).isEqualTo(in.size());
        for (int i = 0; i < in.size(); i++) {
            assertThat(t.get(i)).as("string %d", i).isEqualTo(in.get(i));
        }
        // far less than String objects would take for the short ones, and no page is wasted at the end
        assertThat(t.memoryBytes()).isLessThan(2 * 2 * chars + 16L * in.size() + StringTable.PAGE);
    }
}
