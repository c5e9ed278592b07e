package io.statefulroute.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.PodState;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StateCodecTest {

  @Test
  void encodeThenDecode_roundTrips() {
    for (RoutingState state : RoutingState.values()) {
      String v = StateCodec.encode(new PodStatus(3, 17, state, "pod-3-abc"), 1_764_000_000_123L);
      assertThat(StateCodec.decode("3", v))
          .isEqualTo(new PodState(3, 17, state, 1_764_000_000_123L, "pod-3-abc"));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "garbage",
        "1|5|R|123",
        "1|5|R|123|",
        "2|5|R|123|x",
        "1|-1|R|1|x",
        "1|5|X|1|x",
        "1|5|RR|1|x",
        "1|99999999999|R|1|x",
        "1|5|R|abc|x",
        "1|5|R|1|x|y"
      })
  void decode_malformedValue_isNull(String value) {
    assertThat(StateCodec.decode("1", value)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "a", "1.5", "99999999999", " 1"})
  void decode_malformedField_isNull(String field) {
    assertThat(StateCodec.decode(field, "1|5|R|1|x")).isNull();
  }

  @Test
  void parseNonNegativeInt_acceptsOnlyPlainInts() {
    assertThat(StateCodec.parseNonNegativeInt("0")).isZero();
    assertThat(StateCodec.parseNonNegativeInt("2147483647")).isEqualTo(Integer.MAX_VALUE);
    assertThat(StateCodec.parseNonNegativeInt("2147483648")).isEqualTo(-1);
    assertThat(StateCodec.parseNonNegativeInt("+1")).isEqualTo(-1);
    assertThat(StateCodec.parseNonNegativeInt(null)).isEqualTo(-1);
  }
}
