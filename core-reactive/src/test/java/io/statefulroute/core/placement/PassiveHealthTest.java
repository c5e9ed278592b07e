package io.statefulroute.core.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class PassiveHealthTest {

  @Test
  void consecutiveFailures_ejectForTheCoolDown_thenReadmit() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    PassiveHealth h = new PassiveHealth(3, Duration.ofSeconds(10), clock);
    h.callFinished("ns", "svc", 1, Duration.ZERO, false);
    h.callFinished("ns", "svc", 1, Duration.ZERO, false);
    assertThat(h.isEjected("ns", "svc", 1)).isFalse();
    h.callFinished("ns", "svc", 1, Duration.ZERO, false);
    assertThat(h.isEjected("ns", "svc", 1)).isTrue();
    assertThat(h.isEjected("ns", "svc", 2)).isFalse();
    assertThat(h.ejections()).isEqualTo(1);
    clock.advanceTimeBy(Duration.ofSeconds(9));
    assertThat(h.isEjected("ns", "svc", 1)).isTrue();
    clock.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(h.isEjected("ns", "svc", 1)).isFalse();
  }

  @Test
  void aSuccess_resetsTheCount() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    PassiveHealth h = new PassiveHealth(2, Duration.ofSeconds(10), clock);
    h.callFinished("ns", "svc", 1, Duration.ZERO, false);
    h.callFinished("ns", "svc", 1, Duration.ZERO, true);
    h.callFinished("ns", "svc", 1, Duration.ZERO, false);
    assertThat(h.isEjected("ns", "svc", 1)).isFalse();
    assertThatThrownBy(() -> new PassiveHealth(0, Duration.ofSeconds(1), clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
