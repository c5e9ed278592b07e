package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.redis.testing.RedisServers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The README's quick start, compiled and run against a real Redis. Keep the two in sync. */
class QuickStartIT {

  @Test
  void readmeQuickStart_runs() {
    String redisUrl = RedisServers.standalone().uri();

    // --- README quick start (begin) ---
    RedisClient client = RedisClient.create(redisUrl); // e.g. "redis://127.0.0.1:6379"
    StatefulExecutor executor = RedisStatefulExecutor.create(client,
        RedisExecutorOptions.builder()
            .keyPrefix("sr")
            .commandTimeout(Duration.ofMillis(500))
            .build());

    // a pod publishes its state (stamped with the Redis clock)
    Mono<Long> published = executor.publishState("eu-1", "game",
        new PodStatus(0, 12, RoutingState.READY, "game-0-7f3a"), Duration.ofMinutes(1));

    // a gateway places uid "alice" on pod 0 unless she is already linked (60 s lease)
    Mono<Integer> pod = executor.setLinkIfAbsent("eu-1", "alice", "game", 0, 60);

    // a pod claims "bob" for good (persistent link), refused if another pod owns him
    Mono<ClaimResult> claim = executor.claimLink("eu-1", "bob", "game", 0,
        StatefulExecutor.PERSISTENT);

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
}
