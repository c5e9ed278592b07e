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
        .build();
    OptionsAssertions.assertCopyKeepsEveryOption(StateCacheOptions.class,
        StateCacheOptions.defaults(), set, o -> o.toBuilder().build());
  }
}
