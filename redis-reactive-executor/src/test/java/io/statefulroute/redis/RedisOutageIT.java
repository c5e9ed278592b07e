package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.statefulroute.core.PodState;
import io.statefulroute.core.StoreTimeoutException;
import io.statefulroute.core.StoreUnavailableException;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.core.state.ServiceView;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.redis.Poll;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A standalone Redis stopped for three seconds under load, then started again: every call ends (a
 * result or a typed error within its timeout), cached links are served meanwhile, the drivers
 * recover on their own. The server runs with {@code appendfsync always} (the configuration
 * docs/failure-model.md recommends), so the restart loses nothing; {@link RedisRestartIT} covers
 * data loss.
 *
 * <p>Bounds asserted (with margins, as the issue asks; not benchmarks): a failing call ends within
 * its timeout; the pods republish within one publish period of Redis answering again (plus the
 * client's capped reconnect delay); the client's view is fresh again within two refresh periods of
 * that.
 */
class RedisOutageIT {
  private static final String SVC = "game";
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final Duration PERIOD = Duration.ofMillis(500);
  private static final Duration MARGIN = Duration.ofMillis(1500);
  private static final int PODS = 3;

  @Test
  void standaloneStoppedUnderLoad_callsEndTyped_cacheServes_driversRecoverWithoutRestart()
      throws Exception {
    ClientResources resources = QuickReconnect.resources();
    List<ServerDriver> pods = new ArrayList<>();
    try (RedisProcess server =
        RedisServers.startStandalone("--appendonly", "yes", "--appendfsync", "always")) {
      RedisClient client = RedisClient.create(resources, server.uri());
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client, RedisExecutorOptions.builder().commandTimeout(TIMEOUT).build())) {
        String ns = RedisServers.uniqueNamespace();
        for (int pod = 0; pod < PODS; pod++) {
          ServerDriver s =
              ServerDriver.create(
                  executor,
                  ServerOptions.builder(ns, SVC, pod)
                      .publishPeriod(PERIOD)
                      .stateExpiry(Duration.ofSeconds(5))
                      .shutdownTimeout(Duration.ofSeconds(1))
                      .build());
          s.start().block(Duration.ofSeconds(5));
          pods.add(s);
        }
        ClientDriver gateway =
            ClientDriver.create(
                executor,
                ClientOptions.builder()
                    .stateCache(
                        StateCacheOptions.builder()
                            .refreshPeriod(PERIOD)
                            .stateExpiry(Duration.ofSeconds(5))
                            .build())
                    .leaseTtl(Duration.ofSeconds(60))
                    .build());
        // warm: 500 cached uids
        Map<String, Integer> cached = new HashMap<>();
        for (int i = 0; i < 500; i++) {
          cached.put(
              "c" + i, gateway.computeLinkedPod(ns, "c" + i, SVC).block(Duration.ofSeconds(5)));
        }
        // a placement in flight when the link-event subscription was confirmed is not cached:
        // once coherent, compute them all again (hits, or placements cached under it)
        Poll.until(Duration.ofSeconds(10), "a coherent cache", () -> gateway.isCacheCoherent(ns));
        for (int i = 0; i < 500; i++) {
          assertThat(gateway.computeLinkedPod(ns, "c" + i, SVC).block(Duration.ofSeconds(5)))
              .isEqualTo(cached.get("c" + i));
        }
        Map<String, Set<Integer>> seen = new ConcurrentHashMap<>();
        BackgroundLoad load =
            new BackgroundLoad(
                8,
                Duration.ofMillis(5),
                Duration.ofSeconds(5),
                i -> {
                  String uid =
                      i % 2 == 0
                          ? "c" + ThreadLocalRandom.current().nextInt(500)
                          : "n" + ThreadLocalRandom.current().nextInt(2000);
                  return gateway
                      .computeLinkedPod(ns, uid, SVC)
                      .doOnNext(
                          pod ->
                              seen.computeIfAbsent(uid, k -> ConcurrentHashMap.newKeySet())
                                  .add(pod));
                });
        load.awaitOk(200, Duration.ofSeconds(10)); // the load is in full swing
        int threadsBefore = liveThreads();
        long failuresBefore = pods.get(0).publicationFailures();

        server.stop();
        // while Redis is down: store calls end typed within their timeout; cached links answer
        // probes for 3 s, one starting at most every 100 ms after the previous one ended
        List<Long> failedCallMillis = new ArrayList<>();
        Flux.interval(Duration.ZERO, Duration.ofMillis(100))
            .onBackpressureDrop()
            .take(Duration.ofSeconds(3))
            .concatMap(
                tick -> {
                  String uid = "c" + ThreadLocalRandom.current().nextInt(500);
                  return executor
                      .getLink(ns, "c1", SVC)
                      .then(Mono.<Throwable>empty())
                      .onErrorResume(Mono::just)
                      .defaultIfEmpty(new AssertionError("getLink answered while Redis was down"))
                      .elapsed()
                      .doOnNext(
                          timed -> {
                            failedCallMillis.add(timed.getT1());
                            assertThat(timed.getT2())
                                .isInstanceOfAny(
                                    StoreTimeoutException.class, StoreUnavailableException.class);
                          })
                      .then(
                          gateway
                              .computeLinkedPod(ns, uid, SVC)
                              .timeout(Duration.ofMillis(100))
                              .defaultIfEmpty(-1))
                      .doOnNext(
                          pod ->
                              assertThat(pod)
                                  .as("cached link of %s while Redis is down", uid)
                                  .isEqualTo(cached.get(uid)));
                },
                1)
            .blockLast(Duration.ofSeconds(30));
        assertThat(failedCallMillis)
            .allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(TIMEOUT.plus(MARGIN).toMillis()));
        assertThat(pods.get(0).publicationFailures()).isGreaterThan(failuresBefore);

        server.start();
        long backAt = System.nanoTime();
        long backWallMillis = System.currentTimeMillis();
        Map<Integer, Long> published = new HashMap<>();
        for (int pod = 0; pod < PODS; pod++) {
          published.put(pod, pods.get(pod).publications());
        }
        Poll.until(
            Duration.ofSeconds(20),
            "every pod to publish again",
            () ->
                IntStream.range(0, PODS)
                    .allMatch(p -> pods.get(p).publications() > published.get(p)));
        long republishMillis = (System.nanoTime() - backAt) / 1_000_000;
        long republishedAt = System.nanoTime();
        Poll.until(
            Duration.ofSeconds(20),
            "the client's view to show every pod republished",
            () -> freshSince(gateway.states().peek(ns, SVC), backWallMillis));
        long viewMillis = (System.nanoTime() - republishedAt) / 1_000_000;
        assertThat(republishMillis)
            .as("republish after Redis returned, ms")
            .isLessThanOrEqualTo(
                PERIOD.plus(QuickReconnect.MAX_RECONNECT_DELAY).plus(MARGIN).toMillis());
        assertThat(viewMillis)
            .as("view fresh again after the republish, ms")
            .isLessThanOrEqualTo(PERIOD.multipliedBy(2).plus(MARGIN).toMillis());

        // routing recovered without restarting anything: new uids are placed
        for (int i = 0; i < 50; i++) {
          assertThat(gateway.computeLinkedPod(ns, "after" + i, SVC).block(Duration.ofSeconds(5)))
              .isBetween(0, PODS - 1);
        }
        load.awaitOk(200, Duration.ofSeconds(10)); // the load runs on after the recovery
        load.close();
        Map<String, Long> outcomes = load.outcomes();
        System.out.printf(
            "RedisOutageIT: republish %d ms, view fresh %d ms later, slowest call"
                + " %d ms, outcomes %s%n",
            republishMillis, viewMillis, load.slowestMillis(), outcomes);
        assertThat(outcomes.keySet())
            .as("outcomes %s", outcomes)
            .isSubsetOf(BackgroundLoad.OK, "StoreTimeoutException", "StoreUnavailableException");
        assertThat(load.calls(BackgroundLoad.OK)).isPositive();
        // no call hung: one that had not ended after 5 s would be counted as BackgroundLoad.HANG

        // nothing lost (AOF), nothing diverged: each uid had one pod, the one Redis holds
        Set<String> uids = new HashSet<>(seen.keySet());
        uids.addAll(cached.keySet());
        Map<String, Integer> stored =
            executor.batchGetLinks(ns, uids, SVC).block(Duration.ofSeconds(10));
        List<String> divergent =
            seen.entrySet().stream()
                .filter(
                    e -> e.getValue().size() != 1 || !e.getValue().contains(stored.get(e.getKey())))
                .map(e -> e.getKey() + "=" + e.getValue() + " stored " + stored.get(e.getKey()))
                .collect(Collectors.toList());
        assertThat(divergent).as("uids seen on two pods or not on the stored one").isEmpty();
        List<String> lost =
            cached.entrySet().stream()
                .filter(e -> !e.getValue().equals(stored.get(e.getKey())))
                .map(Map.Entry::getKey)
                .collect(Collectors.toList());
        assertThat(lost).as("links lost or moved by the restart").isEmpty();

        Poll.until(
            Duration.ofSeconds(10),
            "live threads back to at most " + (threadsBefore + 2),
            () -> liveThreads() <= threadsBefore + 2);
        assertThat(liveThreads())
            .as("live threads after the outage (before: %d)", threadsBefore)
            .isLessThanOrEqualTo(threadsBefore + 2);
        gateway.close();
      } finally {
        Flux.fromIterable(pods)
            .flatMap(p -> p.stop().onErrorResume(e -> Mono.empty()))
            .blockLast(Duration.ofSeconds(10));
        client.shutdown();
      }
    } finally {
      var unused = resources.shutdown(); // not awaited: the JVM of the test ends
    }
  }

  /** Every pod fresh in {@code view}, with a record written after {@code sinceMillis}. */
  private static boolean freshSince(ServiceView view, long sinceMillis) {
    if (view == null) {
      return false;
    }
    for (int pod = 0; pod < PODS; pod++) {
      PodState p = view.pods().get(pod);
      if (p == null || !view.isFresh(pod) || p.serverTimeMillis() < sinceMillis) {
        return false;
      }
    }
    return true;
  }

  private static int liveThreads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }
}
