package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StoreOverloadedException;
import io.statefulroute.core.StoreTimeoutException;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.redis.Poll;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A slow Redis ({@code CLIENT PAUSE}, {@code DEBUG SLEEP}): calls end with a typed timeout, the
 * commands in flight never exceed {@code maxInFlight} (calls past it fail at once with {@link
 * StoreOverloadedException}), and everything works again when Redis does.
 */
class SlowRedisIT {
  private static final Duration TIMEOUT = Duration.ofMillis(400);
  private static final Duration MARGIN = Duration.ofMillis(1500);
  private static final int MAX_IN_FLIGHT = 100;

  @Test
  void pausedRedis_burstOfCalls_inFlightBoundedAndEveryCallEndsTyped() {
    try (RedisProcess server = RedisServers.startStandalone()) {
      RedisClient client = RedisClient.create(server.uri());
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client,
              RedisExecutorOptions.builder()
                  .commandTimeout(TIMEOUT)
                  .maxInFlight(MAX_IN_FLIGHT)
                  .build())) {
        String ns = RedisServers.uniqueNamespace();
        executor.setLink(ns, "warm", "svc", 1, -1).block(Duration.ofSeconds(5));
        AtomicInteger maxSeen = new AtomicInteger();
        Disposable sampler =
            Flux.interval(Duration.ofMillis(2))
                .subscribe(t -> maxSeen.accumulateAndGet(executor.inFlightCommands(), Math::max));
        server.redisCli("CLIENT", "PAUSE", "2000", "ALL");

        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        AtomicInteger slowest = new AtomicInteger();
        Flux.range(0, 3000)
            .flatMap(
                i ->
                    Mono.defer(
                            () -> {
                              long start = System.nanoTime();
                              return executor
                                  .setLinkIfAbsent(ns, "u" + i, "svc", i % 4, 60)
                                  .map(pod -> "ok")
                                  .onErrorResume(e -> Mono.just(e.getClass().getSimpleName()))
                                  .doOnNext(
                                      o ->
                                          slowest.accumulateAndGet(
                                              (int) ((System.nanoTime() - start) / 1_000_000),
                                              Math::max));
                            })
                        .subscribeOn(Schedulers.parallel()),
                1000)
            .doOnNext(o -> outcomes.computeIfAbsent(o, k -> new LongAdder()).increment())
            .blockLast(Duration.ofSeconds(30));
        sampler.dispose();

        assertThat(maxSeen.get())
            .as("commands in flight at most")
            .isLessThanOrEqualTo(MAX_IN_FLIGHT);
        assertThat(outcomes.keySet())
            .as("outcomes %s", outcomes)
            .isSubsetOf(
                "ok",
                StoreTimeoutException.class.getSimpleName(),
                StoreOverloadedException.class.getSimpleName());
        assertThat(outcomes.get(StoreOverloadedException.class.getSimpleName())).isNotNull();
        assertThat(outcomes.get(StoreTimeoutException.class.getSimpleName())).isNotNull();
        assertThat(slowest.get())
            .as("slowest call, ms")
            .isLessThanOrEqualTo((int) TIMEOUT.plus(MARGIN).toMillis());

        // Redis answers again: nothing is left in flight and calls succeed
        Poll.until(
            Duration.ofSeconds(10), "nothing in flight", () -> executor.inFlightCommands() == 0);
        Poll.until(
            Duration.ofSeconds(10),
            "calls to succeed again",
            () ->
                executor
                    .setLinkIfAbsent(ns, "after", "svc", 2, 60)
                    .onErrorResume(e -> Mono.empty())
                    .blockOptional(Duration.ofSeconds(5))
                    .isPresent());
        assertThat(executor.getLink(ns, "warm", "svc").block(Duration.ofSeconds(5))).isEqualTo(1);
        System.out.printf(
            "SlowRedisIT: max in flight %d (limit %d), slowest %d ms, %s%n",
            maxSeen.get(), MAX_IN_FLIGHT, slowest.get(), outcomes);
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void debugSleep_publishAndRefreshLoopsTimeOutTyped_andResume() throws Exception {
    try (RedisProcess server = RedisServers.startStandalone("--enable-debug-command", "yes")) {
      RedisClient client = RedisClient.create(server.uri());
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client, RedisExecutorOptions.builder().commandTimeout(TIMEOUT).build())) {
        String ns = RedisServers.uniqueNamespace();
        ServerDriver pod =
            ServerDriver.create(
                executor,
                ServerOptions.builder(ns, "svc", 0)
                    .publishPeriod(Duration.ofMillis(300))
                    .stateExpiry(Duration.ofSeconds(5))
                    .shutdownTimeout(Duration.ofSeconds(1))
                    .build());
        pod.start().block(Duration.ofSeconds(5));
        ClientDriver gateway =
            ClientDriver.create(
                executor,
                ClientOptions.builder()
                    .stateCache(
                        StateCacheOptions.builder()
                            .refreshPeriod(Duration.ofMillis(300))
                            .stateExpiry(Duration.ofSeconds(5))
                            .build())
                    .build());
        int linked = gateway.computeLinkedPod(ns, "a", "svc").block(Duration.ofSeconds(5));
        long publishFailures = pod.publicationFailures();
        long refreshFailures = gateway.states().refreshFailures();

        // the cached link is verified by the link events (else an old entry is re-read)
        Poll.until(
            Duration.ofSeconds(10),
            "the gateway's cache to be coherent",
            () -> gateway.isCacheCoherent(ns));
        // the first compute may have raced the subscription's confirmation (a placement in
        // flight then is not cached): compute again, so the link is cached under the subscription
        assertThat(gateway.computeLinkedPod(ns, "a", "svc").block(Duration.ofSeconds(5)))
            .isEqualTo(linked);
        // DEBUG SLEEP sent on a connection of its own (no redis-cli process to start: it once
        // took longer than the 200 ms below, and the read that should time out succeeded)
        var debug = client.connect();
        var probe = client.connect(); // connected before Redis sleeps
        debug.setTimeout(Duration.ofSeconds(10));
        CompletableFuture<String> sleep =
            debug
                .async()
                .dispatch(
                    CommandType.DEBUG,
                    new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(2))
                .toCompletableFuture();
        // Redis is single-threaded: it is asleep once a PING on another connection goes
        // unanswered (each unanswered PING is answered when it wakes)
        Poll.until(
            Duration.ofSeconds(5),
            "Redis to be in DEBUG SLEEP",
            () -> {
              try {
                probe.async().ping().get(50, TimeUnit.MILLISECONDS);
                return false;
              } catch (TimeoutException asleep) {
                return true;
              } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
              }
            });
        long start = System.nanoTime();
        Throwable error =
            executor
                .readState(ns, "svc")
                .then(Mono.<Throwable>empty())
                .onErrorResume(Mono::just)
                .block(Duration.ofSeconds(5));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(error).isInstanceOf(StoreTimeoutException.class);
        assertThat(millis).isLessThanOrEqualTo(TIMEOUT.plus(MARGIN).toMillis());
        assertThat(gateway.computeLinkedPod(ns, "a", "svc").block(Duration.ofMillis(100)))
            .as("a cached link while Redis sleeps")
            .isEqualTo(linked);
        assertThat(sleep.get()).isEqualTo("OK");
        debug.close();
        probe.close();

        Poll.until(
            Duration.ofSeconds(10),
            "publish and refresh failures counted",
            () ->
                pod.publicationFailures() > publishFailures
                    && gateway.states().refreshFailures() > refreshFailures);
        long published = pod.publications();
        long refreshed = gateway.states().refreshes();
        Poll.until(
            Duration.ofSeconds(10),
            "both loops to succeed again",
            () -> pod.publications() > published && gateway.states().refreshes() > refreshed);
        executor
            .publishState(
                ns, "svc", new PodStatus(1, 0, RoutingState.READY, "b"), Duration.ofMinutes(1))
            .block(Duration.ofSeconds(5));
        Poll.until(
            Duration.ofSeconds(10),
            "the new pod in the client's view",
            () -> gateway.states().refresh(ns, "svc").block(Duration.ofSeconds(5)).isFresh(1));
        gateway.close();
        pod.stop().block(Duration.ofSeconds(5));
      } finally {
        client.shutdown();
      }
    }
  }
}
