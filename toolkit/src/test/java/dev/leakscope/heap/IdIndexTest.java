package dev.leakscope.heap;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The radix-sorted id index against a plain sort: unsigned order (ids past 2^31), lookups, ranks, duplicates. */
class IdIndexTest {

    @Test
    void sortsUnsignedAndFindsEveryId() {
        Random r = new Random(7);
        int n = 200_000;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(4) == 0 ? r.nextInt() : 2 * i + 1; // mostly increasing, a quarter anywhere in 32 bits
        }
        ids[5] = ids[6]; // a duplicate
        IdIndex x = IdIndex.of(ids, n);
        long[] expected = new long[n];
        for (int i = 0; i < n; i++) {
            expected[i] = Integer.toUnsignedLong(ids[i]);
        }
        Arrays.sort(expected);
        for (int k = 0; k < n; k++) {
            assertThat(x.idAt(k)).isEqualTo(expected[k]);
            assertThat(Integer.toUnsignedLong(ids[x.nodeAt(k)])).isEqualTo(expected[k]);
        }
        for (int i = 0; i < n; i += 97) {
            long id = Integer.toUnsignedLong(ids[i]);
            assertThat(Integer.toUnsignedLong(ids[x.node(id)])).isEqualTo(id);
            assertThat(x.idAt(x.rank(id))).isEqualTo(id);
        }
        assertThat(x.node(0x1_0000_0000L)).isEqualTo(-1);
        assertThat(x.withoutNodes().rank(Integer.toUnsignedLong(ids[9]))).isEqualTo(x.rank(Integer.toUnsignedLong(ids[9])));
        // equal ids keep node order
        int first = x.rank(Integer.toUnsignedLong(ids[5]));
        int lo = first;
        while (lo > 0 && x.idAt(lo - 1) == x.idAt(first)) {
            lo--;
        }
        assertThat(x.nodeAt(lo)).isLessThan(x.nodeAt(lo + 1));
    }
}
