package io.statefulroute.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.test.internal.OptionsAssertions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Every setter reaches its option, toBuilder keeps every option, toString names each one. */
class ServerOptionsTest {

  @Test
  void builder_everyOptionSet_reachesEveryAccessor() {
    ServerOptions defaults = ServerOptions.builder("ns", "svc", 0).build();
    ServerOptions set = everyOptionSet();
    OptionsAssertions.assertEveryOptionDiffers(ServerOptions.class, defaults, set);
  }

  /** Every option at a non-default value (checked by reflection, so none can be left out). */
  private static ServerOptions everyOptionSet() {
    return ServerOptions.builder("other-ns", "other-svc", 1)
        .incarnation("inc-1")
        .publishPeriod(Duration.ofMillis(500))
        .stateExpiry(Duration.ofSeconds(3))
        .pruneAfter(Duration.ofSeconds(30))
        .leaseTtl(Duration.ofMinutes(2))
        .removeDelay(Duration.ofSeconds(10))
        .loadSupplier(() -> 1)
        .queueWeighted(0.5, () -> 2)
        .drainTimeout(Duration.ofSeconds(4))
        .drainedWhen(() -> true)
        .shutdownTimeout(Duration.ofSeconds(1))
        .publishRetry(5, Duration.ofMillis(50))
        .releaseBatching(16, Duration.ofMillis(20), 2)
        .scheduler(VirtualTimeScheduler.create())
        .listener(new ServerListener() {})
        .build();
  }

  @Test
  void toBuilder_everyOptionSet_keepsEveryOption() {
    OptionsAssertions.assertCopyKeepsEveryOption(
        ServerOptions.class,
        ServerOptions.builder("ns", "svc", 0).build(),
        everyOptionSet(),
        o -> o.toBuilder().build());
  }

  /** Unset optional suppliers stay unset (their setters refuse null). */
  @Test
  void toBuilder_defaults_keepsTheIncarnationAndNoSupplier() {
    ServerOptions defaults = ServerOptions.builder("ns", "svc", 0).build();
    OptionsAssertions.assertEveryOptionEqual(
        ServerOptions.class, defaults, defaults.toBuilder().build());
    assertThat(defaults.toBuilder().build().loadSupplier()).isEmpty();
    assertThat(defaults.toBuilder().build().incarnation()).isEqualTo(defaults.incarnation());
  }

  @Test
  void toString_namesEveryOptionInOrder_andTheCopySaysTheSame() {
    ServerOptions set = everyOptionSet();
    ServerOptions defaults = ServerOptions.builder("ns", "svc", 0).build();
    OptionsAssertions.assertToStringNamesEveryField(ServerOptions.class, set);
    OptionsAssertions.assertToStringNamesEveryField(ServerOptions.class, defaults);
    assertThat(set.toBuilder().build()).hasToString(set.toString());
    assertThat(set.toString())
        .startsWith(
            "ServerOptions{namespace=other-ns, service=other-svc, pod=1, incarnation=inc-1, ")
        .contains(
            "queueWeight=0.5",
            "publishRetries=5",
            "releaseBatchSize=16",
            "releaseConcurrency=2",
            "listener=ServerOptionsTest$");
    assertThat(defaults.toString())
        .contains("loadSupplier=none", "queueLengthSupplier=none", "drainedWhen=none");
  }

  @Test
  void toBuilder_badValueSetOnTheCopy_isRefusedNamingTheOption() {
    ServerOptions set = everyOptionSet();
    assertThatThrownBy(() -> set.toBuilder().publishRetry(11, Duration.ofMillis(50)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("publishRetries must be between 0 and 10: 11");
    assertThatThrownBy(() -> set.toBuilder().releaseBatching(0, Duration.ofMillis(20), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("releaseBatchSize must be between 1 and 10000: 0");
    assertThatThrownBy(() -> set.toBuilder().releaseBatching(16, Duration.ofMillis(20), 257))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("releaseConcurrency must be between 1 and 256: 257");
    assertThatThrownBy(() -> set.toBuilder().queueWeighted(1.5, () -> 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queueWeight must be between 0.0 and 1.0: 1.5");
    assertThatThrownBy(() -> set.toBuilder().queueWeighted(Double.NaN, () -> 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("queueWeight");
    assertThatThrownBy(() -> set.toBuilder().removeDelay(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("removeDelay must not be negative: PT-1S");
    assertThatThrownBy(() -> set.toBuilder().drainTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("drainTimeout must not be negative: PT-1S");
    assertThatThrownBy(() -> set.toBuilder().incarnation("a|b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("incarnation");
    // the copy keeps the cross-field rules of build()
    assertThatThrownBy(() -> set.toBuilder().removeDelay(Duration.ofMinutes(2)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("removeDelay");
  }

  /** A setter that refuses one of its arguments changes none of them. */
  @Test
  void multiValueSetter_refused_leavesTheBuilderUnchanged() {
    ServerOptions set = everyOptionSet();
    ServerOptions.Builder b = set.toBuilder();
    assertThatThrownBy(() -> b.releaseBatching(32, Duration.ofMillis(5), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.publishRetry(7, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.queueWeighted(0.25, null))
        .isInstanceOf(IllegalArgumentException.class);
    ServerOptions built = b.build();
    assertThat(built.releaseBatchSize()).isEqualTo(16);
    assertThat(built.releaseBatchTimeout()).isEqualTo(Duration.ofMillis(20));
    assertThat(built.publishRetries()).isEqualTo(5);
    assertThat(built.queueWeight()).isEqualTo(0.5);
  }
}
