package io.statefulroute.observability.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The built-in rules' thresholds are range-checked like options: the message names both. */
class RuleThresholdsTest {

  @Test
  void ratioThresholds_areIn0Exclusive1Inclusive() {
    assertThat(Rules.lowCacheHitRatio(1.0, 0)).isNotNull();
    assertThatThrownBy(() -> Rules.lowCacheHitRatio(1.5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minRatio must be in (0, 1]: 1.5");
    assertThatThrownBy(() -> Rules.highErrorRatio(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxRatio must be in (0, 1]: 0.0");
    assertThatThrownBy(() -> Rules.publishFailures(Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxRatio must be in (0, 1]: NaN");
    assertThatThrownBy(() -> Rules.frequentRelinks(-0.5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxRatio must be in (0, 1]: -0.5");
  }

  @Test
  void positiveThresholds_nameTheThreshold() {
    assertThatThrownBy(() -> Rules.loadImbalance(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxCv must be > 0: 0.0");
    assertThatThrownBy(() -> Rules.loadImbalance(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxCv must be > 0: NaN");
    assertThatThrownBy(() -> Rules.staleState(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAge must be positive: PT-1S");
    assertThatThrownBy(() -> Rules.staleState(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAge must not be null");
  }
}
