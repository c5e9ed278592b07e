package io.statefulroute.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimelineTest {

  @Test
  void phases_shareTheDurationInOrder() {
    Timeline t = Timeline.of(Duration.ofSeconds(60));
    assertThat(t.startMillis(Phase.STEADY)).isZero();
    assertThat(t.startMillis(Phase.SCALE_OUT)).isEqualTo(12_000);
    assertThat(t.endMillis(Phase.RECOVERY)).isEqualTo(60_000);
    assertThat(t.phaseAt(0)).isEqualTo(Phase.STEADY);
    assertThat(t.phaseAt(11_999)).isEqualTo(Phase.STEADY);
    assertThat(t.phaseAt(12_000)).isEqualTo(Phase.SCALE_OUT);
    assertThat(t.phaseAt(36_000)).isEqualTo(Phase.CRASH);
    assertThat(t.phaseAt(59_999)).isEqualTo(Phase.RECOVERY);
    assertThat(t.phaseAt(60_000)).isEqualTo(Phase.RECOVERY);
  }
}
