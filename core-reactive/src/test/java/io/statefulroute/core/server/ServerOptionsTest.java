package io.statefulroute.core.server;

import io.statefulroute.core.testing.OptionsAssertions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** ServerOptions has no toBuilder: its test checks that every setter reaches its option. */
class ServerOptionsTest {

  @Test
  void builder_everyOptionSet_reachesEveryAccessor() {
    ServerOptions defaults = ServerOptions.builder("ns", "svc", 0).build();
    ServerOptions set = ServerOptions.builder("other-ns", "other-svc", 1)
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
    OptionsAssertions.assertEveryOptionDiffers(ServerOptions.class, defaults, set);
  }
}
