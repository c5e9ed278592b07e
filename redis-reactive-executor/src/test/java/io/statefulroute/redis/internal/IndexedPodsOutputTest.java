package io.statefulroute.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.spi.StateCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexedPodsOutputTest {

  /** The bytes are read with the rule every other link read applies (StateCodec). */
  @Test
  void podsAreParsedAsStateCodecParsesThem() {
    List<String> values =
        List.of(
            "0",
            "7",
            "007",
            "2147483647",
            "2147483648",
            "9999999999",
            "12345678901",
            "",
            "-1",
            "+1",
            " 1",
            "1 ",
            "1a",
            "é",
            "٣",
            "3.0",
            "0x1");
    for (String v : values) {
      int expected = StateCodec.parseNonNegativeInt(v);
      assertThat(IndexedPodsOutput.pod(bytes(v)))
          .as("'%s'", v)
          .isEqualTo(expected < 0 ? IndexedPodsOutput.CORRUPT : expected);
    }
  }

  @Test
  void podsGoToTheirIndexedPositions_nilIsAbsent_surplusIgnored() {
    int[] pods = BatchDecoding.PODS.newResult(4);
    IndexedPodsOutput out = new IndexedPodsOutput(pods, new int[] {3, 0, 2});
    out.multi(4);
    out.set(bytes("5"));
    out.set(null);
    out.set(bytes("x"));
    out.set(bytes("9")); // more values than keys: dropped

    assertThat(out.get())
        .isSameAs(pods)
        .containsExactly(
            IndexedPodsOutput.ABSENT, IndexedPodsOutput.ABSENT, IndexedPodsOutput.CORRUPT, 5);
  }

  /** A position inside a larger buffer (as Lettuce hands a bulk string) is read in place. */
  @Test
  void aSliceOfALargerBuffer_isReadFromItsPosition() {
    ByteBuffer buffer = ByteBuffer.wrap("$2\r\n42\r\n".getBytes(StandardCharsets.US_ASCII));
    buffer.position(4).limit(6);
    assertThat(IndexedPodsOutput.pod(buffer)).isEqualTo(42);
    assertThat(buffer.position()).isEqualTo(4);
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }
}
