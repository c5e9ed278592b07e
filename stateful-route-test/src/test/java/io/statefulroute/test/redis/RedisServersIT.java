package io.statefulroute.test.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(RedisServersExtension.class)
class RedisServersIT {

  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(10);

  @Test
  void standalone_ping_answersPong(RedisTarget redis) {
    assertThat(redis.kind()).isEqualTo(RedisTarget.Kind.STANDALONE);
    assertThat(redis.isCluster()).isFalse();
    if (redis.throwaway()) {
      assertThat(URI.create(redis.uri()).getPort()).isNotEqualTo(6379);
    }
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().ping()).isEqualTo("PONG");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void standalone_calledTwice_returnsTheSameSharedServer(RedisTarget injected) {
    assertThat(RedisServers.standalone()).isSameAs(injected).isSameAs(RedisServers.standalone());
  }

  static Stream<RedisTarget> bothTargets() {
    return Stream.of(RedisServers.standalone(), RedisServers.cluster());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bothTargets")
  void parameterizedTest_targetFromArguments_isNotResolvedTwice(
      RedisTarget target, @RedisServersExtension.Standalone RedisTarget standalone) {
    assertThat(target.uris()).isNotEmpty();
    assertThat(standalone).isSameAs(RedisServers.standalone());
  }

  @Test
  void cluster_everyNode_reportsStateOkAndAllSlotsCovered(
      @RedisServersExtension.Cluster RedisTarget cluster) {
    assertThat(cluster.isCluster()).isTrue();
    assertThat(cluster.uris()).hasSize(3);
    assertThat(RedisServers.cluster()).isSameAs(cluster);
    for (String uri : cluster.uris()) {
      RedisClient client = RedisClient.create(uri);
      try (StatefulRedisConnection<String, String> node = client.connect()) {
        String info = node.sync().clusterInfo();
        assertThat(info)
            .contains("cluster_state:ok")
            .contains("cluster_slots_assigned:16384")
            .contains("cluster_slots_ok:16384")
            .contains("cluster_size:3");
        assertThat(coveredSlots(node.sync().clusterSlots())).isEqualTo(16384);
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void cluster_keyWrittenViaOneNode_isReadViaAnother(
      @RedisServersExtension.Cluster RedisTarget cluster) {
    String key = cluster.uniqueNamespace() + ":greeting";
    String cli = RedisInstallation.find().orElseThrow().redisCli().toString();
    URI first = URI.create(cluster.uris().get(0));
    URI last = URI.create(cluster.uris().get(2));

    String set =
        RedisProcess.runCli(
            List.of(
                cli,
                "-c",
                "-h",
                first.getHost(),
                "-p",
                String.valueOf(first.getPort()),
                "SET",
                key,
                "hello"),
            CLI_TIMEOUT);
    String viaCli =
        RedisProcess.runCli(
            List.of(
                cli, "-c", "-h", last.getHost(), "-p", String.valueOf(last.getPort()), "GET", key),
            CLI_TIMEOUT);

    assertThat(set).isEqualTo("OK");
    assertThat(viaCli).isEqualTo("hello");
    RedisClusterClient client =
        RedisClusterClient.create(List.of(RedisURI.create(cluster.uris().get(1))));
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().get(key)).isEqualTo("hello");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void startStandalone_stopThenStart_comesBackOnTheSamePort() {
    RedisProcess server = RedisServers.startStandalone();
    try (server) {
      int port = server.port();
      assertThat(server.uri()).isEqualTo("redis://127.0.0.1:" + port);
      assertThat(RedisServers.standalone().uri()).isNotEqualTo(server.uri());
      assertThat(server.redisCli("SET", "k", "v")).isEqualTo("OK");

      server.stop();
      assertThat(server.isRunning()).isFalse();
      assertThatThrownBy(() -> Resp.call(RedisProcess.HOST, port, "PING"))
          .isInstanceOf(UncheckedIOException.class);
      assertThatThrownBy(() -> server.redisCli("PING"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Could not connect");

      server.start();
      assertThat(server.isRunning()).isTrue();
      assertThat(server.port()).isEqualTo(port);
      assertThat(server.redisCli("PING")).isEqualTo("PONG");
      assertThat(server.redisCli("EXISTS", "k")).as("no persistence").isEqualTo("0");
      assertThat(server.logFile()).exists();
    }
    assertThat(server.isRunning()).isFalse();
    assertThat(server.dir()).doesNotExist();
  }

  @Test
  void startStandalone_badArgument_failsQuotingTheLog() {
    assertThatThrownBy(() -> RedisServers.startStandalone("--no-such-option", "1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with code")
        .hasMessageContaining("no-such-option");
  }

  @Test
  void startCluster_masterKilled_replicaTakesOverAndOldMasterRejoins() {
    try (RedisClusterProcesses cluster = RedisServers.startCluster(3, 1)) {
      assertThat(cluster.nodes()).hasSize(6);
      assertThat(cluster.masters()).hasSize(3);
      assertThat(cluster.replicas()).hasSize(3);
      String key = RedisServers.uniqueNamespace();
      RedisProcess master = cluster.masterForKey(key);
      assertThat(master.redisCli("-c", "SET", key, "v")).isEqualTo("OK");
      // Replication is asynchronous: make sure the replica has applied the write before the
      // crash. (WAIT is no help from another redis-cli run: it waits for the offset of its
      // own connection's writes, none, so it answered 1 at once and the replica sometimes
      // had nothing when the master died.)
      List<RedisProcess> replicas = cluster.replicasOf(master);
      assertThat(replicas).hasSize(1);
      RedisProcess replica = replicas.get(0);
      Poll.until(
          Duration.ofSeconds(10),
          replica + " to hold " + key,
          () -> {
            String keys = replica.redisCli("DBSIZE");
            return "1".equals(keys)
                ? null
                : "DBSIZE " + keys + ", " + replica.redisCli("INFO", "replication");
          });

      master.kill();
      cluster.awaitHealthy();
      RedisProcess promoted = cluster.masterForKey(key);
      assertThat(promoted).isSameAs(replica);
      assertThat(promoted.redisCli("GET", key))
          .as(
              "GET on %s after %s was killed; CLUSTER NODES there:%n%s; ROLE: %s; DBSIZE %s",
              promoted,
              master,
              promoted.redisCli("CLUSTER", "NODES"),
              promoted.redisCli("ROLE"),
              promoted.redisCli("DBSIZE"))
          .isEqualTo("v");

      master.start();
      cluster.awaitHealthy();
      assertThat(cluster.replicas()).contains(master);
    }
  }

  @Test
  void startCluster_twoMasters_isRejected() {
    assertThatThrownBy(() -> RedisServers.startCluster(2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 3 masters");
  }

  @Test
  void uniqueNamespace_manyCalls_allDifferAndAreKeySafe() {
    RedisTarget redis = RedisServers.standalone();
    Set<String> names = new HashSet<>();
    IntStream.range(0, 10_000)
        .forEach(
            i -> names.add(i % 2 == 0 ? redis.uniqueNamespace() : RedisServers.uniqueNamespace()));
    assertThat(names).hasSize(10_000).allMatch(name -> name.matches("[a-z][a-z0-9]{9}"));
  }

  @Test
  void flushAll_onAServerNamedByTheUser_isRefusedBeforeAnyIo() {
    RedisTarget external =
        new RedisTarget(RedisTarget.Kind.STANDALONE, List.of("redis://127.0.0.1:6379"), false);
    assertThatThrownBy(external::flushAll)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a throwaway");
  }

  @Test
  void notFoundMessage_saysWhatToInstall() {
    assertThat(RedisInstallation.NOT_FOUND)
        .isEqualTo(
            "redis-server not found on PATH: install it"
                + " (Debian/Ubuntu: sudo apt-get install -y redis-server),"
                + " or set REDIS_URL=redis://host:port,"
                + " or run Docker for Testcontainers");
  }

  private static int coveredSlots(List<Object> clusterSlots) {
    int covered = 0;
    for (Object entry : clusterSlots) {
      List<?> range = (List<?>) entry;
      covered += (int) ((Long) range.get(1) - (Long) range.get(0) + 1);
    }
    return covered;
  }
}
