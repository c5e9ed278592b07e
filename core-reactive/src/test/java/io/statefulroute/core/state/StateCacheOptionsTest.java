package io.statefulroute.core.state;

import io.statefulroute.core.testing.OptionsAssertions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class StateCacheOptionsTest {

  @Test
  void toBuilder_everyOptionSet_keepsEveryOption() {
    StateCacheOptions set = StateCacheOptions.builder()
        .refreshPeriod(Duration.ofMillis(500))
        .stateExpiry(Duration.ofSeconds(3))
        .defaultBand(4)
        .band("svc", 2)
        .scheduler(VirtualTimeScheduler.create())
        .listener(new StateCacheListener() {})
        .idleWatchTimeout(Duration.ofMinutes(3))
        .build();
    OptionsAssertions.assertCopyKeepsEveryOption(StateCacheOptions.class,
        StateCacheOptions.defaults(), set, o -> o.toBuilder().build());
  }

  @Test
  void idleWatchTimeout_notLongerThanTheRefreshPeriod_isRejectedNamingTheRule() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StateCacheOptions.builder()
            .refreshPeriod(Duration.ofSeconds(2)).idleWatchTimeout(Duration.ofSeconds(2)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idleWatchTimeout").hasMessageContaining("refreshPeriod");
  }
}
