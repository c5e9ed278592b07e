package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.test.redis.RedisServers;
import io.statefulroute.test.redis.RedisTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The coalescing write path never leaves a command unflushed: lone sequential commands, bursts of
 * thousands issued from several threads, and mixed scripts and plain commands all complete, on a
 * standalone Redis and on the cluster, with coalescing on and off.
 */
class CommandFlusherIT {

  static Stream<Arguments> targets() {
    return Stream.of(
        Arguments.of(RedisServers.standalone(), true),
        Arguments.of(RedisServers.standalone(), false),
        Arguments.of(RedisServers.cluster(), true),
        Arguments.of(RedisServers.cluster(), false));
  }

  @ParameterizedTest(name = "{0} coalesce={1}")
  @MethodSource("targets")
  void loneAndBurstCommands_allComplete(RedisTarget target, boolean coalesce) {
    RedisExecutorOptions options =
        RedisExecutorOptions.builder()
            .coalesceFlushes(coalesce)
            .commandTimeout(Duration.ofSeconds(10))
            .maxCommandsPerFlush(32)
            .build();
    try (RedisContractTarget redis = new RedisContractTarget(target)) {
      RedisStatefulExecutor executor = redis.newExecutor(options);
      String ns = "f-" + UUID.randomUUID();

      // lone commands, one at a time: each is flushed at once
      for (int i = 0; i < 200; i++) {
        assertThat(
                executor
                    .setLinkIfAbsent(ns, "lone" + i, "svc", i % 4, 60)
                    .block(Duration.ofSeconds(10)))
            .isEqualTo(i % 4);
      }

      // a burst from several threads, scripts and plain reads mixed
      List<String> uids =
          IntStream.range(0, 20_000).mapToObj(i -> "b" + i).collect(Collectors.toList());
      Long done =
          Flux.fromIterable(uids)
              .parallel(4)
              .runOn(Schedulers.parallel())
              .flatMap(
                  u ->
                      executor
                          .setLinkIfAbsent(ns, u, "svc", u.length() % 3, 60)
                          .then(executor.getLink(ns, u, "svc")),
                  false,
                  512)
              .sequential()
              .count()
              .block(Duration.ofMinutes(2));
      assertThat(done).isEqualTo(20_000L);
      Map<String, Integer> all =
          executor.batchGetLinks(ns, uids, "svc").block(Duration.ofSeconds(30));
      assertThat(all).hasSize(20_000);
      assertThat(executor.inFlightCommands()).isZero();

      // after the burst, a lone command again
      assertThat(
              Mono.defer(() -> executor.getLink(ns, "lone1", "svc")).block(Duration.ofSeconds(10)))
          .isEqualTo(1);
    }
  }
}
