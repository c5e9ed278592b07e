package io.statefulroute.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.test.internal.OptionsAssertions;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class StateCacheOptionsTest {

  @Test
  void toBuilder_everyOptionSet_keepsEveryOption() {
    StateCacheOptions set =
        StateCacheOptions.builder()
            .refreshPeriod(Duration.ofMillis(500))
            .stateExpiry(Duration.ofSeconds(3))
            .defaultBand(4)
            .band("svc", 2)
            .bandRatio(0.3)
            .scheduler(VirtualTimeScheduler.create())
            .listener(new StateCacheListener() {})
            .idleWatchTimeout(Duration.ofMinutes(3))
            .build();
    OptionsAssertions.assertCopyKeepsEveryOption(
        StateCacheOptions.class, StateCacheOptions.defaults(), set, o -> o.toBuilder().build());
  }

  @Test
  void idleWatchTimeout_notLongerThanTheRefreshPeriod_isRejectedNamingTheRule() {
    Assertions.assertThatThrownBy(
            () ->
                StateCacheOptions.builder()
                    .refreshPeriod(Duration.ofSeconds(2))
                    .idleWatchTimeout(Duration.ofSeconds(2))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idleWatchTimeout")
        .hasMessageContaining("refreshPeriod");
  }

  /** Every option at a non-default value, two bands (so their order can be checked). */
  private static StateCacheOptions everyOptionSet() {
    return StateCacheOptions.builder()
        .refreshPeriod(Duration.ofMillis(500))
        .stateExpiry(Duration.ofSeconds(3))
        .defaultBand(4)
        .band("svc-b", 2)
        .band("svc-a", 0)
        .bandRatio(0.3)
        .scheduler(VirtualTimeScheduler.create())
        .listener(new StateCacheListener() {})
        .idleWatchTimeout(Duration.ofMinutes(3))
        .build();
  }

  @Test
  void toString_namesEveryOptionInOrder_andTheCopySaysTheSame() {
    StateCacheOptions set = everyOptionSet();
    OptionsAssertions.assertToStringNamesEveryField(StateCacheOptions.class, set);
    OptionsAssertions.assertToStringNamesEveryField(
        StateCacheOptions.class, StateCacheOptions.defaults());
    assertThat(set.toBuilder().build()).hasToString(set.toString());
    assertThat(set.toString())
        .contains(
            "refreshPeriod=PT0.5S",
            "defaultBand=4",
            "bands={svc-a=0, svc-b=2}",
            "scheduler=VirtualTimeScheduler",
            "idleWatchTimeout=PT3M");
    assertThat(StateCacheOptions.defaults().toString())
        .contains("bands={}", "listener=StateCacheListener$");
  }

  @Test
  void toBuilder_keepsTheBands_andABadValueSetOnTheCopyIsRefused() {
    StateCacheOptions set = everyOptionSet();
    assertThat(set.toBuilder().build().bands()).isEqualTo(set.bands());
    assertThatThrownBy(() -> set.toBuilder().defaultBand(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("defaultBand must be >= 0: -1");
    assertThatThrownBy(() -> set.toBuilder().band("svc", -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("band must be >= 0: -2");
    assertThatThrownBy(() -> set.toBuilder().refreshPeriod(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refreshPeriod must be positive: PT-0.001S");
    // the copy keeps the cross-field rules of build()
    assertThatThrownBy(() -> set.toBuilder().refreshPeriod(Duration.ofSeconds(3)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stateExpiry");
  }
}
