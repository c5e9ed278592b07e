package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.statefulroute.core.ScriptException;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import io.statefulroute.test.redis.RedisTarget;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The whole executor contract as the least-privilege ACL user ({@link LeastPrivilege}) on a
 * standalone Redis; commands and keys outside the user's rules are refused by Redis.
 */
class AclStandaloneContractIT extends AbstractRedisContractIT {
  private static RedisProcess server;
  private static RedisContractTarget target;

  @BeforeAll
  static void start() {
    server = RedisServers.startStandalone();
    LeastPrivilege.create(server);
    target =
        new RedisContractTarget(
            new RedisTarget(RedisTarget.Kind.STANDALONE, List.of(server.uri()), true),
            List.of(userUri(server.port())),
            null);
  }

  @AfterAll
  static void stop() {
    if (target != null) {
      target.close();
    }
    server.close();
  }

  static RedisURI userUri(int port) {
    return RedisURI.builder()
        .withHost("127.0.0.1")
        .withPort(port)
        .withAuthentication(LeastPrivilege.USER, LeastPrivilege.PASSWORD.toCharArray())
        .build();
  }

  @Override
  protected RedisContractTarget target() {
    return target;
  }

  @Test
  void aclUser_outsideCommandsAndKeys_areRefused() {
    RedisClient client = RedisClient.create(userUri(server.port()));
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      RedisCommands<String, String> sync = c.sync();
      assertThat(sync.set("sr:{x:y}:lk:z", "1")).isEqualTo("OK");
      assertRefused(() -> sync.flushall());
      assertRefused(() -> sync.keys("*"));
      assertRefused(() -> sync.configGet("*"));
      assertRefused(() -> sync.set("other:key", "1"));
      assertRefused(() -> sync.get("other:key"));
      assertRefused(() -> sync.publish("other-channel", "m"));
      assertThat(sync.publish("sr:{ns}:inv", "m")).isZero();
      try (var pubSub = client.connectPubSub()) {
        pubSub.sync().subscribe("sr:{ns}:inv");
        assertRefused(() -> pubSub.sync().subscribe("other-channel"));
      }
      // a script may only touch keys the user may: a foreign prefix is refused, typed
      try (RedisStatefulExecutor foreign =
          RedisStatefulExecutor.create(
              client, RedisExecutorOptions.builder().keyPrefix("other").build())) {
        StepVerifier.create(foreign.setLink("ns", "u", "svc", 1, -1))
            .expectError(ScriptException.class)
            .verify(Duration.ofSeconds(5));
        StepVerifier.create(foreign.getLink("ns", "u", "svc"))
            .expectError(ScriptException.class)
            .verify(Duration.ofSeconds(5));
      }
    } finally {
      client.shutdown();
    }
  }

  static void assertRefused(Runnable command) {
    try {
      command.run();
    } catch (RedisCommandExecutionException e) {
      assertThat(e.getMessage()).startsWith("NOPERM");
      return;
    }
    throw new AssertionError("the command was not refused");
  }
}
