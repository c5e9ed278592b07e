package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.test.internal.OptionsAssertions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisExecutorOptionsTest {

  @Test
  void defaults_areDocumentedValues() {
    RedisExecutorOptions o = RedisExecutorOptions.defaults();
    assertThat(o.keyPrefix()).isEqualTo("sr");
    assertThat(o.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(o.batchSize()).isEqualTo(512);
    assertThat(o.batchConcurrency()).isEqualTo(16);
    assertThat(o.coalesceFlushes()).isTrue();
    assertThat(o.maxCommandsPerFlush()).isEqualTo(64);
    assertThat(o.maxInFlight()).isEqualTo(10_000);
    assertThat(o.shardedAnnouncements()).isTrue();
  }

  @Test
  void toBuilder_everyOptionSet_keepsEveryOption() {
    // every option at a non-default value: OptionsAssertions finds the options by reflection and
    // names any left at its default, so a new option cannot be forgotten here
    RedisExecutorOptions o =
        RedisExecutorOptions.builder()
            .keyPrefix("x")
            .batchSize(7)
            .batchConcurrency(3)
            .commandTimeout(Duration.ofMillis(250))
            .coalesceFlushes(false)
            .maxCommandsPerFlush(9)
            .announceLinkChanges(false)
            .shardedAnnouncements(false)
            .linkEventsReconnectAfter(Duration.ofSeconds(2))
            .maxInFlight(11)
            .build();
    OptionsAssertions.assertCopyKeepsEveryOption(
        RedisExecutorOptions.class, RedisExecutorOptions.defaults(), o, x -> x.toBuilder().build());
  }

  @Test
  void setters_rejectBadValuesAtOnce() {
    RedisExecutorOptions.Builder b = RedisExecutorOptions.builder();
    assertThatThrownBy(() -> b.commandTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("commandTimeout");
    assertThatThrownBy(() -> b.commandTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.commandTimeout(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.batchSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchSize");
    assertThatThrownBy(() -> b.batchConcurrency(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxCommandsPerFlush(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxInFlight(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxInFlight");
    assertThatThrownBy(() -> b.maxInFlight(1_000_001)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.keyPrefix("a}b")).isInstanceOf(IllegalArgumentException.class);
  }

  /** Every option at a non-default value. */
  private static RedisExecutorOptions everyOptionSet() {
    return RedisExecutorOptions.builder()
        .keyPrefix("x")
        .batchSize(7)
        .batchConcurrency(3)
        .commandTimeout(Duration.ofMillis(250))
        .coalesceFlushes(false)
        .maxCommandsPerFlush(9)
        .announceLinkChanges(false)
        .shardedAnnouncements(false)
        .linkEventsReconnectAfter(Duration.ofSeconds(2))
        .maxInFlight(11)
        .build();
  }

  @Test
  void toString_namesEveryOptionInOrder_andTheCopySaysTheSame() {
    RedisExecutorOptions set = everyOptionSet();
    OptionsAssertions.assertToStringNamesEveryField(RedisExecutorOptions.class, set);
    OptionsAssertions.assertToStringNamesEveryField(
        RedisExecutorOptions.class, RedisExecutorOptions.defaults());
    assertThat(set.toBuilder().build()).hasToString(set.toString());
    assertThat(set)
        .hasToString(
            "RedisExecutorOptions{keyPrefix=x, commandTimeout=PT0.25S, "
                + "batchSize=7, batchConcurrency=3, coalesceFlushes=false, maxCommandsPerFlush=9, "
                + "announceLinkChanges=false, shardedAnnouncements=false, "
                + "linkEventsReconnectAfter=PT2S, maxInFlight=11}");
  }

  @Test
  void toBuilder_badValueSetOnTheCopy_isRefusedNamingTheOptionAndTheRule() {
    RedisExecutorOptions set = everyOptionSet();
    assertThatThrownBy(() -> set.toBuilder().batchSize(10_001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batchSize must be between 1 and 10000: 10001");
    assertThatThrownBy(() -> set.toBuilder().batchConcurrency(1025))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batchConcurrency must be between 1 and 1024: 1025");
    assertThatThrownBy(() -> set.toBuilder().maxCommandsPerFlush(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxCommandsPerFlush must be between 1 and 4096: 0");
    assertThatThrownBy(() -> set.toBuilder().commandTimeout(Duration.ofMinutes(61)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commandTimeout must be at most 1 h: PT1H1M");
    assertThatThrownBy(() -> set.toBuilder().linkEventsReconnectAfter(Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("linkEventsReconnectAfter must be at most 1 h: PT2H");
    assertThatThrownBy(() -> set.toBuilder().linkEventsReconnectAfter(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("linkEventsReconnectAfter must be positive: PT0S");
    assertThatThrownBy(() -> set.toBuilder().maxInFlight(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxInFlight must be between 1 and 1000000: -1");
  }
}
