package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.statefulroute.core.NoAvailablePodException;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.state.ServiceView;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.redis.Poll;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Redis crashes (SIGKILL) and comes back. Without persistence it comes back empty: the pods
 * republish their state, temporary links are placed again on demand, persistent links are lost
 * (their owners must set them again). With {@code appendonly yes, appendfsync always} nothing is
 * lost, temporary links keep their lease.
 */
class RedisRestartIT {
  private static final String SVC = "game";
  private static final Duration PERIOD = Duration.ofMillis(300);
  private static final List<String> UIDS =
      IntStream.range(0, 100).mapToObj(i -> "u" + i).collect(Collectors.toList());

  @Test
  void noPersistence_restartLosesData_podsRepublish_temporaryLinksRecomputedOnDemand() {
    ClientResources resources = QuickReconnect.resources();
    List<ServerDriver> pods = new ArrayList<>();
    List<ClientDriver> gateways = new ArrayList<>();
    try (RedisProcess server = RedisServers.startStandalone()) {
      RedisClient client = RedisClient.create(resources, server.uri());
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client,
              RedisExecutorOptions.builder().commandTimeout(Duration.ofMillis(500)).build())) {
        String ns = RedisServers.uniqueNamespace();
        for (int pod = 0; pod < 2; pod++) {
          pods.add(pod(executor, ns, pod));
        }
        ClientDriver before = gateway(executor, gateways);
        Map<String, Integer> placed = new HashMap<>();
        UIDS.forEach(
            u -> placed.put(u, before.computeLinkedPod(ns, u, SVC).block(Duration.ofSeconds(5))));
        pods.get(0).setLinkedPod("owned").block(Duration.ofSeconds(5));

        server.kill();
        server.start();
        long restartedAt = System.currentTimeMillis();

        Poll.until(
            Duration.ofSeconds(15),
            "both pods to republish after the restart",
            () -> {
              ServiceView v =
                  executor
                      .readState(ns, SVC)
                      .map(s -> ServiceView.of(ns, SVC, s, 3000, 10, System.currentTimeMillis()))
                      .onErrorResume(e -> Mono.empty())
                      .block(Duration.ofSeconds(5));
              return v != null
                  && v.isFresh(0)
                  && v.isFresh(1)
                  && v.pods().get(0).serverTimeMillis() >= restartedAt
                  && v.pods().get(1).serverTimeMillis() >= restartedAt;
            });
        // what is lost: every link, temporary and persistent
        assertThat(executor.batchGetLinks(ns, UIDS, SVC).block(Duration.ofSeconds(5))).isEmpty();
        assertThat(executor.getLink(ns, "owned", SVC).block(Duration.ofSeconds(5))).isNull();
        assertThat(executor.getLinkIndex(ns, "owned").block(Duration.ofSeconds(5))).isEmpty();

        // a gateway with no cached entry places each uid again; the link is stored again
        ClientDriver after = gateway(executor, gateways);
        Map<String, Integer> replaced = new HashMap<>();
        UIDS.forEach(
            u -> replaced.put(u, after.computeLinkedPod(ns, u, SVC).block(Duration.ofSeconds(5))));
        assertThat(executor.batchGetLinks(ns, UIDS, SVC).block(Duration.ofSeconds(5)))
            .isEqualTo(replaced);
        // the gateway that cached the old placement agrees once its entries expire (2 s here);
        // until its state view has read the republished pods, it knows no pod
        Poll.until(
            Duration.ofSeconds(15),
            "the old gateway to agree with Redis",
            () ->
                UIDS.stream()
                    .allMatch(
                        u ->
                            replaced
                                .get(u)
                                .equals(
                                    before
                                        .computeLinkedPod(ns, u, SVC)
                                        .onErrorResume(
                                            NoAvailablePodException.class, e -> Mono.just(-1))
                                        .block(Duration.ofSeconds(5)))));
        System.out.printf(
            "RedisRestartIT: %d of %d uids placed on another pod after the loss%n",
            UIDS.stream().filter(u -> !placed.get(u).equals(replaced.get(u))).count(), UIDS.size());
        // the owner sets its persistent link again
        pods.get(0).setLinkedPod("owned").block(Duration.ofSeconds(5));
        assertThat(executor.getLinkIfPersistent(ns, "owned", SVC).block(Duration.ofSeconds(5)))
            .isZero();
      } finally {
        gateways.forEach(ClientDriver::close);
        Flux.fromIterable(pods)
            .flatMap(p -> p.stop().onErrorResume(e -> Mono.empty()))
            .blockLast(Duration.ofSeconds(10));
        client.shutdown();
      }
    } finally {
      var unused = resources.shutdown(); // not awaited: the JVM of the test ends
    }
  }

  @Test
  void appendFsyncAlways_killAndRestart_losesNothing() {
    ClientResources resources = QuickReconnect.resources();
    try (RedisProcess server =
        RedisServers.startStandalone("--appendonly", "yes", "--appendfsync", "always")) {
      RedisClient client = RedisClient.create(resources, server.uri());
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client,
              RedisExecutorOptions.builder().commandTimeout(Duration.ofMillis(500)).build())) {
        String ns = RedisServers.uniqueNamespace();
        Map<String, Integer> expected = new HashMap<>();
        Flux.fromIterable(UIDS)
            .flatMap(
                u -> {
                  int pod = Math.floorMod(u.hashCode(), 4);
                  expected.put(u, pod);
                  return executor.setLink(ns, u, SVC, pod, u.hashCode() % 2 == 0 ? -1 : 600);
                },
                1)
            .blockLast(Duration.ofSeconds(20));
        executor.claimLink(ns, "owned", SVC, 3, -1).block(Duration.ofSeconds(5));

        server.kill();
        server.start();

        Poll.until(
            Duration.ofSeconds(15),
            "the executor to reconnect",
            () ->
                executor
                    .getLink(ns, "owned", SVC)
                    .onErrorResume(e -> Mono.empty())
                    .blockOptional(Duration.ofSeconds(5))
                    .isPresent());
        assertThat(executor.batchGetLinks(ns, UIDS, SVC).block(Duration.ofSeconds(5)))
            .isEqualTo(expected);
        assertThat(executor.getLinkIndex(ns, "owned").block(Duration.ofSeconds(5)))
            .containsExactly(Map.entry(SVC, 3));
        KeySchema keys = KeySchema.defaults();
        RedisCommands<String, String> raw = client.connect().sync();
        for (String u : UIDS) {
          long pttl = raw.pttl(keys.link(ns, u, SVC));
          if (u.hashCode() % 2 == 0) {
            assertThat(pttl).as("persistent link of %s", u).isEqualTo(-1);
          } else {
            assertThat(pttl).as("lease of %s", u).isBetween(500_000L, 600_000L);
          }
        }
      } finally {
        client.shutdown();
      }
    } finally {
      var unused = resources.shutdown(); // not awaited: the JVM of the test ends
    }
  }

  private static ServerDriver pod(RedisStatefulExecutor executor, String ns, int pod) {
    ServerDriver s =
        ServerDriver.create(
            executor,
            ServerOptions.builder(ns, SVC, pod)
                .publishPeriod(PERIOD)
                .stateExpiry(Duration.ofSeconds(3))
                .shutdownTimeout(Duration.ofSeconds(1))
                .build());
    s.start().block(Duration.ofSeconds(5));
    return s;
  }

  private static ClientDriver gateway(RedisStatefulExecutor executor, List<ClientDriver> all) {
    ClientDriver c =
        ClientDriver.create(
            executor,
            ClientOptions.builder()
                .stateCache(
                    StateCacheOptions.builder()
                        .refreshPeriod(PERIOD)
                        .stateExpiry(Duration.ofSeconds(3))
                        .build())
                .leaseTtl(Duration.ofSeconds(60))
                .cacheExpireAfterWrite(Duration.ofSeconds(2))
                .build());
    all.add(c);
    return c;
  }
}
