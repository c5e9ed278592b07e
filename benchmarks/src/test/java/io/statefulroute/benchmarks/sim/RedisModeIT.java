package io.statefulroute.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.test.redis.RedisServers;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The simulation on a real Redis: {@code --redis redis://...} and {@code --redis local}. */
class RedisModeIT {

  @Test
  void simulation_onRedis_runsTheTimeline() {
    String uri = RedisServers.standalone().uri();
    SimulationResult r =
        new Simulation(
                SimulationOptions.parse(
                    "--redis", uri, "--users", "500", "--rate", "100", "--duration", "36s"),
                ProgressLine.none())
            .run();
    assertThat(r.store()).startsWith("Redis at " + uri).endsWith("real time");
    assertThat(r.requests()).isBetween(3_500L, 3_700L);
    assertThat(r.phase(Phase.STEADY).errors()).isZero();
    assertThat(r.phase(Phase.SCALE_OUT).end().links()[r.options().pods()]).isPositive();
    assertThat(r.phase(Phase.DRAIN).end().states()[Phase.DRAINING_POD])
        .isEqualTo(RoutingState.DENY_NEW_CALL);
    assertThat(r.phase(Phase.CRASH).outcomes().get(Outcome.Kind.POD_DOWN)).isPositive();
    assertThat(r.crash().relinked()).isPositive();
    // not before the record missed a heartbeat (2 publish periods of 1 s after the pod's last
    // publication, which came up to one period before the crash; reported failures alone move
    // nothing); loose upper bound
    assertThat(r.crash().firstMillis()).isBetween(1_000L, 15_000L);
    assertThat(r.phase(Phase.RECOVERY).errors()).isZero();
  }

  @Test
  void localRedis_startsAThrowawayServerAndStopsIt() throws Exception {
    URI uri;
    try (SimStore store =
        SimStore.open(SimulationOptions.parse("--redis", "local"), SimClock.wall())) {
      assertThat(store.description()).contains("throwaway redis-server");
      uri = URI.create(store.description().replaceAll("^Redis at (\\S+).*$", "$1"));
      Long serverTime =
          store
              .executor()
              .publishState(
                  store.namespace(),
                  "game",
                  new PodStatus(0, 1, RoutingState.READY, "it"),
                  Duration.ofMinutes(1))
              .block(Duration.ofSeconds(5));
      assertThat(serverTime).isPositive();
    }
    URI stopped = uri;
    Assertions.assertThatThrownBy(
            () -> {
              try (Socket s = new Socket(stopped.getHost(), stopped.getPort())) {
                s.getInputStream();
              }
            })
        .isInstanceOf(IOException.class);
  }
}
