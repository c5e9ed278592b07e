package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor.Operation;
import io.statefulroute.core.StatefulRouteException;
import io.statefulroute.core.StoreTimeoutException;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.LinkEventRecorder;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/** Every call ends: a paused or stopped Redis gives a typed error, and the executor recovers. */
class TimeoutAndOutageIT {
  private static final Duration TIMEOUT = Duration.ofMillis(400);

  private static void expectTimeoutOf(Operation operation, Mono<?> call) {
    StepVerifier.create(call)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(StoreTimeoutException.class)
                    .hasMessage(operation.tag() + " did not complete within 400 ms")
                    .extracting(t -> ((StoreTimeoutException) t).operation())
                    .isEqualTo(operation.tag()))
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void pausedRedis_callsFailWithStoreTimeout_thenRecover() {
    try (RedisProcess server = RedisServers.startStandalone()) {
      RedisClient client = RedisClient.create(server.uri());
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client, RedisExecutorOptions.builder().commandTimeout(TIMEOUT).build())) {
        executor.setLink("ns", "u", "svc", 1, -1).block(Duration.ofSeconds(5));
        server.redisCli("CLIENT", "PAUSE", "5000", "ALL"); // ended by UNPAUSE below

        StepVerifier.create(executor.getLink("ns", "u", "svc"))
            .expectErrorSatisfies(
                e -> {
                  assertThat(e).isInstanceOf(StoreTimeoutException.class);
                  assertThat(((StoreTimeoutException) e).timeout()).isEqualTo(TIMEOUT);
                  assertThat(((StoreTimeoutException) e).operation()).isEqualTo("get_link");
                  assertThat(e).hasMessage("get_link did not complete within 400 ms");
                })
            .verify(Duration.ofSeconds(5));
        // the timeout names the operation called, by its tag, not the script or command that
        // serves it: one script serves both set-if-absent calls, one reader every batch read
        expectTimeoutOf(
            Operation.SET_LINK_IF_ABSENT, executor.setLinkIfAbsent("ns", "v", "svc", 1, 60));
        expectTimeoutOf(
            Operation.SET_LINK_IF_ABSENT_LEASE,
            executor.setLinkIfAbsentLease("ns", "v", "svc", 1, 60));
        expectTimeoutOf(
            Operation.BATCH_GET_LINKS, executor.batchGetLinks("ns", List.of("u", "v"), "svc"));

        server.redisCli("CLIENT", "UNPAUSE");
        StepVerifier.create(executor.getLink("ns", "u", "svc")).expectNext(1).verifyComplete();
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void clientWithoutLettuceCommandTimeouts_isStillBoundedByTheExecutorTimeout() {
    try (RedisProcess server = RedisServers.startStandalone()) {
      RedisClient client = RedisClient.create(server.uri());
      client.setOptions(
          io.lettuce.core.ClientOptions.builder()
              .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
              .build());
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client, RedisExecutorOptions.builder().commandTimeout(TIMEOUT).build())) {
        executor.setLink("ns", "u", "svc", 1, -1).block(Duration.ofSeconds(5));
        server.redisCli("CLIENT", "PAUSE", "2000", "ALL");
        StepVerifier.create(executor.setLinkIfAbsent("ns", "u", "svc", 2, 60))
            .expectError(StoreTimeoutException.class)
            .verify(Duration.ofSeconds(5));
        server.redisCli("CLIENT", "UNPAUSE");
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void pausedRedis_clientComputeEndsWithTypedTimeout_andCachedLinksAreStillServed() {
    try (RedisProcess server = RedisServers.startStandalone()) {
      RedisClient client = RedisClient.create(server.uri());
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client, RedisExecutorOptions.builder().commandTimeout(TIMEOUT).build())) {
        executor
            .publishState(
                "ns", "svc", new PodStatus(0, 0, RoutingState.READY, "a"), Duration.ofMinutes(1))
            .block();
        ClientDriver gateway =
            ClientDriver.create(
                executor,
                io.statefulroute.core.client.ClientOptions.builder()
                    .stateCache(
                        StateCacheOptions.builder()
                            .refreshPeriod(Duration.ofSeconds(1))
                            .stateExpiry(Duration.ofSeconds(30))
                            .build())
                    .build());
        try (LinkEventRecorder events =
            new LinkEventRecorder(executor, "ns", Duration.ofSeconds(10))) {
          assertThat(gateway.computeLinkedPod("ns", "cached", "svc").block()).isZero();
          // the namespace's link events confirmed before the pause: else the cached entry is
          // trusted only for unconfirmedCacheTtl, and a slow machine can outlive it
          events.expect(new LinkEvent.Subscribed("ns"));
          // the cached entry read again once more now, so no re-check of it runs into the pause
          assertThat(gateway.getLinkedPod("ns", "cached", "svc").block()).isZero();
        }
        server.redisCli("CLIENT", "PAUSE", "3000", "ALL");
        StepVerifier.create(gateway.computeLinkedPod("ns", "cached", "svc"))
            .expectNext(0)
            .verifyComplete();
        StepVerifier.create(gateway.computeLinkedPod("ns", "new-uid", "svc"))
            .expectError(StoreTimeoutException.class)
            .verify(Duration.ofSeconds(5));
        StepVerifier.create(gateway.computeLinkedPod("ns", "x", "cold-service"))
            .expectError(StoreTimeoutException.class)
            .verify(Duration.ofSeconds(5));
        server.redisCli("CLIENT", "UNPAUSE");
        StepVerifier.create(gateway.computeLinkedPod("ns", "new-uid", "svc"))
            .expectNext(0)
            .verifyComplete();
        gateway.close();
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void stoppedRedis_callsFailTyped_thenRecoverAfterRestart() {
    try (RedisProcess server = RedisServers.startStandalone()) {
      RedisClient client = RedisClient.create(server.uri());
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client, RedisExecutorOptions.builder().commandTimeout(TIMEOUT).build())) {
        executor.setLink("ns", "u", "svc", 1, -1).block(Duration.ofSeconds(5));
        server.stop();

        StepVerifier.create(executor.setLinkIfAbsent("ns", "u", "svc", 2, 60))
            .expectError(StatefulRouteException.class)
            .verify(Duration.ofSeconds(5));

        server.start(); // no persistence: the restarted server is empty and has no scripts
        StepVerifier.create(
                executor
                    .setLinkIfAbsent("ns", "u", "svc", 2, 60)
                    .retryWhen(Retry.fixedDelay(50, Duration.ofMillis(100))))
            .expectNext(2)
            .verifyComplete();
      } finally {
        client.shutdown();
      }
    }
  }
}
