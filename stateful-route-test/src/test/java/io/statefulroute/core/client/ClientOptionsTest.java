package io.statefulroute.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.placement.PodSelector;
import io.statefulroute.core.placement.PodSelectors;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.internal.OptionsAssertions;
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
        .publishPeriod(Duration.ofMillis(500))
        .missedHeartbeatFactor(3)
        .placementPeers(4)
        .listener(new ClientListener() {})
        .build();
  }

  @Test
  void toBuilder_everyOptionSet_keepsEveryOption() {
    OptionsAssertions.assertCopyKeepsEveryOption(
        ClientOptions.class,
        ClientOptions.defaults(),
        everyOptionSet(),
        o -> o.toBuilder().build());
  }

  @Test
  void toString_namesEveryOptionInOrder_andTheCopySaysTheSame() {
    ClientOptions set = everyOptionSet();
    OptionsAssertions.assertToStringNamesEveryField(ClientOptions.class, set);
    OptionsAssertions.assertToStringNamesEveryField(ClientOptions.class, ClientOptions.defaults());
    assertThat(set.toBuilder().build()).hasToString(set.toString());
    assertThat(set.toString())
        .contains(
            "leaseTtl=PT1M30S",
            "cacheMaximumSize=7",
            "cacheExpireAfterAccess=PT15S",
            "cacheInvalidation=false",
            "ejectAfterFailures=5",
            "stateCache=StateCacheOptions{")
        .contains("listener=ClientOptionsTest$");
    assertThat(ClientOptions.defaults().toString())
        .contains("cacheExpireAfterAccess=none", "listener=ClientListener$");
  }

  /** A listener's own toString may say anything: options print its class only. */
  @Test
  void toString_neverCallsTheListenersToString() {
    ClientListener talkative =
        new ClientListener() {
          @Override
          public String toString() {
            return "password=hunter2";
          }
        };
    assertThat(ClientOptions.builder().listener(talkative).build().toString())
        .doesNotContain("hunter2");
  }

  @Test
  void toBuilder_badValueSetOnTheCopy_isRefusedNamingTheOption() {
    ClientOptions set = everyOptionSet();
    assertThatThrownBy(() -> set.toBuilder().leaseTtl(Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaseTtl must be whole seconds: PT1.5S");
    assertThatThrownBy(() -> set.toBuilder().cacheMaximumSize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cacheMaximumSize must be >= 0: -1");
    assertThatThrownBy(() -> set.toBuilder().ejectAfterFailures(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ejectAfterFailures must be >= 1: 0");
    assertThatThrownBy(() -> set.toBuilder().ejectionCoolDown(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ejectionCoolDown must be positive: PT0S");
    // the copy keeps the cross-field rules of build()
    assertThatThrownBy(() -> set.toBuilder().cacheExpireAfterWrite(Duration.ofMinutes(2)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cache TTL < lease TTL");
  }

  /** A lease beyond Redis's EXPIRE range is refused as such (it used to overflow toMillis()). */
  @Test
  void leaseTtl_outOfRedisRangeOrBelowASecondPart_isRefusedNamingTheRule() {
    assertThatThrownBy(() -> ClientOptions.builder().leaseTtl(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("leaseTtl must be at most 2147483647 s: ");
    assertThatThrownBy(() -> ClientOptions.builder().leaseTtl(Duration.ofSeconds(60, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("leaseTtl must be whole seconds: ");
    assertThat(
            ClientOptions.builder()
                .leaseTtl(Duration.ofSeconds(Integer.MAX_VALUE))
                .build()
                .leaseTtl())
        .isEqualTo(Duration.ofSeconds(Integer.MAX_VALUE));
  }
}
