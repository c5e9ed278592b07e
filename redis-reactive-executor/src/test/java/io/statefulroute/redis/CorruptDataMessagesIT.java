package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.StatefulExecutor.Operation;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A value on our keys that cannot be decoded fails the call with a {@link CorruptDataException}
 * whose message names the operation called by its {@link Operation#tag()}: the one spelling meters,
 * traces and errors share (not the script or command that served the call).
 */
class CorruptDataMessagesIT {
  private static final String SVC = "svc";
  private static final KeySchema KEYS = KeySchema.defaults();
  private static RedisContractTarget redis;
  private static StatefulExecutor executor;
  private static RedisClusterCommands<String, String> raw;
  private static String ns;

  @BeforeAll
  static void start() {
    redis = new RedisContractTarget(RedisServers.standalone());
    executor = redis.executors(1).get(0);
    raw = redis.raw();
    ns = redis.target().uniqueNamespace();
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  private static void expectCorrupt(Operation operation, Mono<?> call) {
    StepVerifier.create(call)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .as(operation.methodName())
                    .isInstanceOf(CorruptDataException.class)
                    .hasMessageStartingWith(operation.tag() + ": "))
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void undecodableLink_everyLinkCallNamesItsOperation() {
    raw.set(KEYS.link(ns, "bad", SVC), "not-a-pod");
    expectCorrupt(Operation.GET_LINK, executor.getLink(ns, "bad", SVC));
    expectCorrupt(Operation.GET_LINK_LEASE, executor.getLinkLease(ns, "bad", SVC));
    expectCorrupt(Operation.GET_LINK_IF_PERSISTENT, executor.getLinkIfPersistent(ns, "bad", SVC));
    // one script serves both: each call is named as called
    expectCorrupt(Operation.SET_LINK_IF_ABSENT, executor.setLinkIfAbsent(ns, "bad", SVC, 1, 30));
    expectCorrupt(
        Operation.SET_LINK_IF_ABSENT_LEASE, executor.setLinkIfAbsentLease(ns, "bad", SVC, 1, 30));
    expectCorrupt(Operation.CLAIM_LINK, executor.claimLink(ns, "bad", SVC, 1, 30));
    expectCorrupt(Operation.REPLACE_LINK, executor.replaceLink(ns, "bad", SVC, 1, 2, 30));
    expectCorrupt(
        Operation.REMOVE_LINK_IF_OWNER,
        executor.removeLinkIfOwner(ns, "bad", SVC, 1, Duration.ZERO));
    assertThat(raw.get(KEYS.link(ns, "bad", SVC))).isEqualTo("not-a-pod"); // left untouched
  }

  @Test
  void foreignRedisTypes_nameTheOperation() {
    raw.hset(KEYS.link(ns, "hash", SVC), "f", "v");
    expectCorrupt(Operation.GET_LINK, executor.getLink(ns, "hash", SVC));
    expectCorrupt(Operation.SET_LINK, executor.setLink(ns, "hash", SVC, 1, 30));

    raw.set(KEYS.linkIndex(ns, "idx"), "not-a-hash");
    expectCorrupt(Operation.GET_LINK_INDEX, executor.getLinkIndex(ns, "idx"));

    raw.set(KEYS.state(ns, SVC), "not-a-hash");
    expectCorrupt(Operation.READ_STATE, executor.readState(ns, SVC));
    expectCorrupt(
        Operation.PUBLISH_STATE,
        executor.publishState(
            ns, SVC, new PodStatus(0, 0, RoutingState.READY, "a"), Duration.ofMinutes(1)));

    raw.hset(KEYS.workload(ns, SVC), "f", "v");
    expectCorrupt(Operation.GET_WORKLOAD_STATE, executor.getWorkloadState(ns, SVC));
    // batch reads skip what they cannot decode instead (MGET semantics)
    assertThat(executor.batchGetWorkloadStates(ns, List.of(SVC)).block()).isEqualTo(Map.of());
  }
}
