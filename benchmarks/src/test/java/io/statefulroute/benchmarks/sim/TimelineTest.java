package io.statefulroute.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimelineTest {

  @Test
  void phases_shareTheDurationInOrder() {
    Timeline t = Timeline.of(Duration.ofSeconds(70));
    assertThat(t.startMillis(Phase.STEADY)).isZero();
    assertThat(t.startMillis(Phase.SCALE_OUT)).isEqualTo(10_000);
    assertThat(t.startMillis(Phase.CORDON)).isEqualTo(50_000);
    assertThat(t.endMillis(Phase.STORE_FAULT)).isEqualTo(70_000);
    assertThat(t.phaseAt(0)).isEqualTo(Phase.STEADY);
    assertThat(t.phaseAt(9_999)).isEqualTo(Phase.STEADY);
    assertThat(t.phaseAt(10_000)).isEqualTo(Phase.SCALE_OUT);
    assertThat(t.phaseAt(30_000)).isEqualTo(Phase.CRASH);
    assertThat(t.phaseAt(49_999)).isEqualTo(Phase.RECOVERY);
    assertThat(t.phaseAt(59_999)).isEqualTo(Phase.CORDON);
    assertThat(t.phaseAt(69_999)).isEqualTo(Phase.STORE_FAULT);
    assertThat(t.phaseAt(70_000)).isEqualTo(Phase.STORE_FAULT);
  }

  @Test
  void storeFault_stallsAtItsStartAndRestartsHalfwayAfterTheStall() {
    Timeline t = Timeline.of(Duration.ofSeconds(70));
    assertThat(t.stallMillis()).isEqualTo(60_000);
    assertThat(t.restartMillis()).isEqualTo(65_000);
    Timeline shortest = Timeline.of(SimulationOptions.MIN_DURATION); // 5.1 s phases
    assertThat(shortest.restartMillis() - shortest.stallMillis())
        .isEqualTo(Phase.STALL_MILLIS + 1000);
    assertThat(shortest.restartMillis()).isLessThan(shortest.endMillis(Phase.STORE_FAULT));
  }
}
