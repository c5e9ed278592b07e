package io.statefulroute.core.client;

import io.statefulroute.core.placement.PodSelector;
import io.statefulroute.core.placement.PodSelectors;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.core.testing.OptionsAssertions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {

  /** Every option at a non-default value (checked by reflection, so none can be left out). */
  static ClientOptions everyOptionSet() {
    PodSelector selector = PodSelectors.roundRobin();
    return ClientOptions.builder()
        .stateCache(StateCacheOptions.builder().defaultBand(3).build())
        .leaseTtl(Duration.ofSeconds(90))
        .cacheMaximumSize(7)
        .cacheExpireAfterWrite(Duration.ofSeconds(20))
        .cacheExpireAfterAccess(Duration.ofSeconds(15))
        .cacheInvalidation(false)
        .unconfirmedCacheTtl(Duration.ofMillis(250))
        .selector(() -> selector)
        .ejectAfterFailures(5)
        .ejectionCoolDown(Duration.ofSeconds(3))
        .listener(new ClientListener() {})
        .build();
  }

  @Test
  void toBuilder_everyOptionSet_keepsEveryOption() {
    OptionsAssertions.assertCopyKeepsEveryOption(ClientOptions.class, ClientOptions.defaults(),
        everyOptionSet(), o -> o.toBuilder().build());
  }
}
