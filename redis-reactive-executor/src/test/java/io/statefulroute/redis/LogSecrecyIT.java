package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StoreTimeoutException;
import io.statefulroute.core.StoreUnavailableException;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.redis.Poll;
import io.statefulroute.test.redis.RedisClusterProcesses;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Passwords and uids never appear in logs at INFO or above, nor in the typed errors callers may
 * log. The tests log through java.util.logging (Reactor, Netty and Lettuce through SLF4J's JUL
 * binding, Caffeine through System.Logger); a handler on the root logger captures every record
 * while the executor connects with a password, fails authentication, loses Redis, meets corrupt
 * data and places uids.
 */
class LogSecrecyIT {
  private static final String UID_MARK = "uid-MARK-7f3a";
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.INFO.intValue()) {
            records.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** Errors returned to callers; added to by the calls' threads while the outage thread reads. */
  private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void listen() {
    Logger.getLogger("").addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    Logger.getLogger("").removeHandler(capture);
  }

  @Test
  void standalone_passwordAndUidsNeverLoggedAtInfoOrAbove() throws Exception {
    try (RedisProcess server = RedisServers.startStandalone()) {
      LeastPrivilege.create(server);
      // a wrong password: the connection fails
      RedisClient wrong =
          RedisClient.create(
              RedisURI.builder()
                  .withHost("127.0.0.1")
                  .withPort(server.port())
                  .withAuthentication(
                      LeastPrivilege.USER, (LeastPrivilege.PASSWORD + "-wrong").toCharArray())
                  .build());
      try {
        wrong.connect().close();
      } catch (RuntimeException expected) {
        errors.add(expected);
      } finally {
        wrong.shutdown();
      }
      RedisClient client =
          RedisClient.create(
              QuickReconnect.resources(), AclStandaloneContractIT.userUri(server.port()));
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client,
              RedisExecutorOptions.builder().commandTimeout(Duration.ofMillis(300)).build())) {
        exercise(
            executor,
            (k, v) -> {
              try (var c = client.connect()) {
                c.sync().set(k, v);
              }
            },
            () -> {
              server.stop();
              awaitOutageSeen();
              server.start();
              LeastPrivilege.create(server); // no persistence: the user is gone with the data
            });
      } finally {
        client.shutdown();
        var unused = client.getResources().shutdown(); // not awaited
      }
    }
    assertNothingSecretLogged();
  }

  @Test
  void cluster_passwordAndUidsNeverLoggedAtInfoOrAbove() throws Exception {
    try (RedisClusterProcesses cluster = RedisServers.startCluster(3, 0)) {
      cluster.nodes().forEach(LeastPrivilege::create);
      RedisClusterClient client =
          RedisClusterClient.create(
              QuickReconnect.resources(),
              cluster.nodes().stream()
                  .map(n -> AclStandaloneContractIT.userUri(n.port()))
                  .collect(Collectors.toList()));
      client.setOptions(ClusterFailoverIT.failoverOptions());
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client,
              RedisExecutorOptions.builder().commandTimeout(Duration.ofMillis(300)).build())) {
        RedisProcess node = cluster.nodes().get(0);
        exercise(
            executor,
            (k, v) -> {
              try (var c = client.connect()) {
                c.sync().set(k, v);
              }
            },
            () -> {
              node.stop();
              awaitOutageSeen();
              node.start();
              LeastPrivilege.create(node);
            });
      } finally {
        client.shutdown();
        var unused = client.getResources().shutdown(); // not awaited
      }
    }
    assertNothingSecretLogged();
  }

  /** Placements, corrupt data, failures while {@code outage} runs, on uids carrying the mark. */
  private void exercise(
      RedisStatefulExecutor executor, BiConsumer<String, String> rawSet, Runnable outage) {
    String ns = RedisServers.uniqueNamespace();
    executor
        .publishState(
            ns, "svc", new PodStatus(0, 0, RoutingState.READY, "a"), Duration.ofMinutes(1))
        .block(Duration.ofSeconds(5));
    ClientDriver gateway =
        ClientDriver.create(
            executor,
            ClientOptions.builder()
                .stateCache(
                    StateCacheOptions.builder()
                        .refreshPeriod(Duration.ofMillis(200))
                        .stateExpiry(Duration.ofSeconds(30))
                        .build())
                .build());
    try {
      for (int i = 0; i < 20; i++) {
        gateway.computeLinkedPod(ns, UID_MARK + i, "svc").block(Duration.ofSeconds(5));
      }
      // corrupt data on a marked uid: typed errors, skipped values
      rawSet.accept(KeySchema.defaults().link(ns, UID_MARK + "c", "svc"), "garbage");
      collect(executor.getLink(ns, UID_MARK + "c", "svc"));
      collect(executor.setLinkIfAbsent(ns, UID_MARK + "c", "svc", 0, 60));
      collect(executor.batchGetLinks(ns, List.of(UID_MARK + "c", UID_MARK + "0"), "svc"));
      rawSet.accept(KeySchema.defaults().linkIndex(ns, UID_MARK + "i"), "not-a-hash");
      collect(executor.setLink(ns, UID_MARK + "i", "svc", 1, -1));
      collect(executor.getLinkIndex(ns, UID_MARK + "i"));
      // failures: the store goes away and comes back while calls run on marked uids
      Thread outageThread = new Thread(outage);
      outageThread.start();
      Flux.range(0, 200)
          .concatMap(
              i ->
                  Mono.delay(Duration.ofMillis(10))
                      .then(
                          Mono.defer(() -> gateway.computeLinkedPod(ns, UID_MARK + "o" + i, "svc")))
                      .doOnError(errors::add)
                      .onErrorResume(e -> Mono.empty()))
          .blockLast(Duration.ofSeconds(60));
      outageThread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      gateway.close();
    }
    assertThat(KeySchema.defaults().link(ns, UID_MARK, "svc")).contains(UID_MARK);
  }

  private void collect(Mono<?> call) {
    call.doOnError(errors::add).onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(10));
  }

  private void assertNothingSecretLogged() {
    List<String> texts = new ArrayList<>();
    synchronized (capture) {
      for (LogRecord r : records) {
        StringBuilder sb =
            new StringBuilder(r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage());
        if (r.getParameters() != null) {
          for (Object p : r.getParameters()) {
            sb.append(" | ").append(p);
          }
        }
        appendChain(sb, r.getThrown());
        texts.add(sb.toString());
      }
    }
    for (Throwable e : List.copyOf(errors)) {
      StringBuilder sb = new StringBuilder("error returned: ");
      appendChain(sb, e);
      texts.add(sb.toString());
    }
    assertThat(errors)
        .as("typed errors of the corrupt data and the outage")
        .anyMatch(e -> e instanceof CorruptDataException)
        .anyMatch(
            e -> e instanceof StoreTimeoutException || e instanceof StoreUnavailableException);
    assertThat(records).as("records at INFO or above (the outage logs reconnects)").isNotEmpty();
    assertThat(texts)
        .noneMatch(t -> t.contains(LeastPrivilege.PASSWORD))
        .noneMatch(t -> t.contains(UID_MARK));
    System.out.printf(
        "LogSecrecyIT: %d records, %d errors checked%n", records.size(), errors.size());
  }

  private static void appendChain(StringBuilder sb, Throwable t) {
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      sb.append(" | ").append(t);
      for (Throwable s : t.getSuppressed()) {
        sb.append(" | suppressed ").append(s);
      }
    }
  }

  /**
   * While the store is down: waits until the outage has reached a caller (a typed error returned)
   * and Lettuce has logged a reconnect attempt, the two things whose text must hold no secret.
   */
  private void awaitOutageSeen() {
    Poll.until(
        Duration.ofSeconds(20),
        "an outage error returned and a reconnect attempt logged",
        () -> {
          boolean failed;
          synchronized (errors) {
            failed =
                errors.stream()
                    .anyMatch(
                        e ->
                            e instanceof StoreTimeoutException
                                || e instanceof StoreUnavailableException);
          }
          synchronized (capture) {
            return failed
                && records.stream()
                    .anyMatch(r -> String.valueOf(r.getMessage()).contains("Reconnecting"));
          }
        });
  }
}
