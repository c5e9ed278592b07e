package io.statefulroute.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IndexedValuesOutputTest {

  @Test
  void valuesGoToTheirIndexedPositions_nilStaysNull() {
    String[] values = new String[5];
    IndexedValuesOutput out = new IndexedValuesOutput(values, new int[] {4, 0, 2});
    out.multi(3);
    out.set(bytes("7"));
    out.set(null);
    out.set(bytes("é"));

    assertThat(out.get()).isSameAs(values).containsExactly(null, null, "é", null, "7");
  }

  @Test
  void withoutIndex_valuesGoInOrder() {
    IndexedValuesOutput out = new IndexedValuesOutput(new String[2], null);
    out.multi(2);
    out.set(bytes("1"));
    out.set(bytes("2"));

    assertThat(out.get()).containsExactly("1", "2");
  }

  /** A reply decoded again (a replayed command) overwrites the same positions. */
  @Test
  void aSecondArrayHeader_restartsThePositions() {
    IndexedValuesOutput out = new IndexedValuesOutput(new String[2], new int[] {1, 0});
    out.multi(2);
    out.set(bytes("stale"));
    out.multi(2);
    out.set(bytes("a"));
    out.set(bytes("b"));

    assertThat(out.get()).containsExactly("b", "a");
  }

  /** More values than keys (a protocol surprise) are dropped, never written out of bounds. */
  @Test
  void surplusValues_areIgnored() {
    IndexedValuesOutput out = new IndexedValuesOutput(new String[1], new int[] {0});
    out.multi(3);
    out.set(bytes("a"));
    out.set(bytes("b"));
    out.set(bytes("c"));

    assertThat(out.get()).containsExactly("a");
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }
}
