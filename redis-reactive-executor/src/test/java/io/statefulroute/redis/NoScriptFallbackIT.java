package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.redis.internal.LuaScript;
import io.statefulroute.redis.internal.Scripts;
import io.statefulroute.test.redis.RedisServers;
import io.statefulroute.test.redis.RedisTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.test.StepVerifier;

/**
 * SCRIPT FLUSH on every node: the scripts are really gone (SCRIPT EXISTS says so), the next call
 * still succeeds through the EVAL fallback, and that reloads the script on the node it ran on.
 */
class NoScriptFallbackIT {

  static Stream<RedisTarget> targets() {
    return Stream.of(RedisServers.standalone(), RedisServers.cluster());
  }

  @ParameterizedTest
  @MethodSource("targets")
  void scriptFlushedOnEveryNode_nextCallSucceedsAndReloadsTheScript(RedisTarget target) {
    try (RedisContractTarget redis = new RedisContractTarget(target)) {
      StatefulExecutor executor = redis.executors(1).get(0);
      String ns = "ns-" + UUID.randomUUID();
      executor.setLink(ns, "u", "svc", 1, 60).block();

      List<RedisClient> nodes = new ArrayList<>();
      try {
        List<StatefulRedisConnection<String, String>> conns = new ArrayList<>();
        for (String uri : target.uris()) {
          RedisClient c = RedisClient.create(uri);
          nodes.add(c);
          conns.add(c.connect());
        }
        LuaScript script = Scripts.LINK_SET_IF_ABSENT;
        for (int round = 0; round < 3; round++) {
          conns.forEach(c -> c.sync().scriptFlush());
          conns.forEach(
              c -> assertThat(c.sync().scriptExists(script.sha())).containsExactly(false));
          StepVerifier.create(executor.setLinkIfAbsent(ns, "u", "svc", 2, 60))
              .expectNext(1)
              .verifyComplete();
          assertThat(conns.stream().filter(c -> c.sync().scriptExists(script.sha()).get(0)))
              .as("the EVAL fallback cached the script on the node that ran it")
              .hasSize(1);
        }
      } finally {
        nodes.forEach(RedisClient::shutdown);
      }
    }
  }
}
