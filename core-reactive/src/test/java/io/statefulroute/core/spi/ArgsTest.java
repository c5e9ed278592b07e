package io.statefulroute.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The range checks every options class uses: each message names the option and the rule. */
class ArgsTest {

  @Test
  void intRanges_returnTheValue_orNameTheOptionAndTheRule() {
    assertThat(Args.inRange("batchSize", 1, 1, 10)).isEqualTo(1);
    assertThat(Args.inRange("batchSize", 10, 1, 10)).isEqualTo(10);
    assertThatThrownBy(() -> Args.inRange("batchSize", 0, 1, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batchSize must be between 1 and 10: 0");
    assertThatThrownBy(() -> Args.inRange("batchSize", 11, 1, 10))
        .hasMessage("batchSize must be between 1 and 10: 11");
    assertThat(Args.atLeast("failures", 1, 1)).isEqualTo(1);
    assertThatThrownBy(() -> Args.atLeast("failures", 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failures must be >= 1: 0");
    assertThat(Args.nonNegative("band", 0)).isZero();
    assertThatThrownBy(() -> Args.nonNegative("band", -1)).hasMessage("band must be >= 0: -1");
    assertThat(Args.nonNegative("size", 0L)).isZero();
    assertThatThrownBy(() -> Args.nonNegative("size", Long.MIN_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size must be >= 0: " + Long.MIN_VALUE);
    assertThatThrownBy(() -> Args.pod(-1)).hasMessage("pod must be >= 0: -1");
  }

  @Test
  void doubleRanges_refuseNaN_andNameTheOptionAndTheRule() {
    assertThat(Args.inRange("weight", 0.0, 0, 1)).isZero();
    assertThat(Args.inRange("weight", 1.0, 0, 1)).isEqualTo(1.0);
    assertThatThrownBy(() -> Args.inRange("weight", -0.1, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight must be between 0.0 and 1.0: -0.1");
    assertThatThrownBy(() -> Args.inRange("weight", Double.NaN, 0, 1))
        .hasMessage("weight must be between 0.0 and 1.0: NaN");
    assertThat(Args.positive("maxCv", 0.01)).isEqualTo(0.01);
    assertThatThrownBy(() -> Args.positive("maxCv", 0.0)).hasMessage("maxCv must be > 0: 0.0");
    assertThatThrownBy(() -> Args.positive("maxCv", Double.NaN))
        .hasMessage("maxCv must be > 0: NaN");
    assertThat(Args.ratio("maxRatio", 1.0)).isEqualTo(1.0);
    assertThatThrownBy(() -> Args.ratio("maxRatio", 0.0))
        .hasMessage("maxRatio must be in (0, 1]: 0.0");
    assertThatThrownBy(() -> Args.ratio("maxRatio", 1.5))
        .hasMessage("maxRatio must be in (0, 1]: 1.5");
    assertThatThrownBy(() -> Args.ratio("maxRatio", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durations_nameTheOptionAndTheRule() {
    assertThatThrownBy(() -> Args.positive("commandTimeout", Duration.ZERO, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commandTimeout must be positive: PT0S");
    assertThatThrownBy(() -> Args.positive("commandTimeout", null, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commandTimeout must not be null");
    assertThat(Args.positive("commandTimeout", Duration.ofHours(1), Duration.ofHours(1)))
        .isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(
            () ->
                Args.positive("commandTimeout", Duration.ofMillis(3_600_001), Duration.ofHours(1)))
        .hasMessage("commandTimeout must be at most 1 h: PT1H0.001S");
    assertThatThrownBy(() -> Args.positive("t", Duration.ofMinutes(6), Duration.ofMinutes(5)))
        .hasMessage("t must be at most 5 min: PT6M");
    assertThatThrownBy(() -> Args.positive("t", Duration.ofSeconds(31), Duration.ofSeconds(30)))
        .hasMessage("t must be at most 30 s: PT31S");
    assertThatThrownBy(() -> Args.positive("t", Duration.ofMillis(3), Duration.ofMillis(2)))
        .hasMessage("t must be at most PT0.002S: PT0.003S");

    assertThat(Args.delay("removeDelay", Duration.ZERO)).isZero();
    assertThatThrownBy(() -> Args.delay("removeDelay", Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("removeDelay must not be negative: PT-0.001S");
    assertThatThrownBy(() -> Args.delay("removeDelay", Duration.ofSeconds(Long.MAX_VALUE)))
        .hasMessageStartingWith("removeDelay must be at most 2147483647 s: ");

    assertThat(Args.wholeSeconds("leaseTtl", Duration.ofSeconds(3))).hasSeconds(3);
    assertThatThrownBy(() -> Args.wholeSeconds("leaseTtl", Duration.ofSeconds(3, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaseTtl must be whole seconds: PT3.000000001S");
  }

  /** The executors' delay check keeps its messages and its rounding. */
  @Test
  void delayMillis_keepsItsMessagesAndRoundsUp() {
    assertThatThrownBy(() -> Args.delayMillis(Duration.ofMillis(-1)))
        .hasMessage("delay must not be negative: PT-0.001S");
    assertThatThrownBy(() -> Args.delayMillis(Duration.ofSeconds(Args.MAX_TTL_SECONDS + 1)))
        .hasMessage("delay must be at most 2147483647 s: PT596523H14M8S");
    assertThatThrownBy(() -> Args.delayMillis(null)).hasMessage("delay must not be null");
    assertThat(Args.delayMillis(Duration.ofNanos(1))).isEqualTo(1);
    assertThat(Args.delayMillis(Duration.ZERO)).isZero();
    assertThat(Args.delayMillis(Duration.ofSeconds(Args.MAX_TTL_SECONDS)))
        .isEqualTo(Args.MAX_TTL_SECONDS * 1000);
  }

  @Test
  void rule_namesTheRuleAndTheValues_onlyWhenItDoesNotHold() {
    Args.rule(true, "a < b", "a 1, b 2");
    assertThatThrownBy(() -> Args.rule(false, "a < b", "a 3, b 2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rule 'a < b' violated: a 3, b 2");
  }
}
