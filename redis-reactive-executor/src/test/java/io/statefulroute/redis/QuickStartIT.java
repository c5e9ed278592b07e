package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.placement.PodSelectors;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The README's quick start, compiled and run against a real Redis. Keep the two in sync. */
class QuickStartIT {

  @Test
  void readmeQuickStart_runs() {
    String redisUrl = RedisServers.standalone().uri();

    // --- README quick start (begin) ---
    RedisClient client = RedisClient.create(redisUrl); // e.g. "redis://127.0.0.1:6379"
    StatefulExecutor executor =
        RedisStatefulExecutor.create(
            client,
            RedisExecutorOptions.builder()
                .keyPrefix("sr")
                .commandTimeout(Duration.ofMillis(500))
                .build());

    // a pod publishes its state (stamped with the Redis clock)
    Mono<Long> published =
        executor.publishState(
            "eu-1",
            "game",
            new PodStatus(0, 12, RoutingState.READY, "game-0-7f3a"),
            Duration.ofMinutes(1));

    // a gateway places uid "alice" on pod 0 unless she is already linked (60 s lease)
    Mono<Integer> pod = executor.setLinkIfAbsent("eu-1", "alice", "game", 0, 60);

    // a pod claims "bob" for good (persistent link), refused if another pod owns him
    Mono<ClaimResult> claim =
        executor.claimLink("eu-1", "bob", "game", 0, StatefulExecutor.PERSISTENT);

    Integer alicePod = published.then(pod).block();
    ClaimResult bob = claim.block();
    // --- README quick start (end) ---

    assertThat(alicePod).isZero();
    assertThat(bob.claimed()).isTrue();
    assertThat(executor.readState("eu-1", "game").block().pods()).containsKey(0);
    executor.removeLink("eu-1", "alice", "game", Duration.ZERO).block();
    executor.removeLink("eu-1", "bob", "game", Duration.ZERO).block();
    executor.close();
    client.shutdown();
  }

  @Test
  void readmeServerAndGateway_run() {
    RedisClient client = RedisClient.create(RedisServers.standalone().uri());
    StatefulExecutor executor = RedisStatefulExecutor.create(client);
    AtomicInteger sessions = new AtomicInteger();

    // --- README server pod (begin) ---
    ServerDriver pod =
        ServerDriver.create(
            executor,
            ServerOptions.builder("eu-2", "game", 3) // namespace, service, pod index
                .loadSupplier(sessions::get) // sampled at each publication
                .drainTimeout(Duration.ofSeconds(20)) // stop(): wait for sessions to end
                .drainedWhen(() -> sessions.get() == 0)
                .build());
    pod.start().block(); // publishes now, then every second
    pod.trySetLinkedPod("guild-42").block(); // a persistent link owned by this pod
    // ... on SIGTERM:
    pod.stop().block(); // DENY_NEW_CALL, drain, SHUTDOWN
    // --- README server pod (end) ---

    ServerDriver other =
        ServerDriver.create(executor, ServerOptions.builder("eu-2", "game", 4).build());
    other.start().block();

    // --- README gateway (begin) ---
    ClientDriver gateway =
        ClientDriver.create(
            executor, ClientOptions.builder().selector(PodSelectors::powerOfTwoChoices).build());
    Mono<String> routed =
        gateway
            .computeLinkedPod("eu-2", "alice", "game")
            .map(podIndex -> "http://game-" + podIndex + ".game.eu-2.svc:8080"); // compose a call
    // --- README gateway (end) ---

    assertThat(routed.block()).isEqualTo("http://game-4.game.eu-2.svc:8080");
    gateway.close();
    other.stop().block();
    executor.removeLink("eu-2", "alice", "game", Duration.ZERO).block();
    executor.removeLink("eu-2", "guild-42", "game", Duration.ZERO).block();
    executor.close();
    client.shutdown();
  }
}
