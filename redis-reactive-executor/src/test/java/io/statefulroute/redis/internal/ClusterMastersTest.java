package io.statefulroute.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Master changes as the client's slot map shows them (issue 10, item 6). */
class ClusterMastersTest {
  private final AtomicReference<Partitions> view = new AtomicReference<>();
  private final ClusterMasters masters = new ClusterMasters(view::get);

  private static RedisClusterNode node(String id, int port, NodeFlag role, int from, int to) {
    List<Integer> slots = from < 0 ? List.of() : IntStream.rangeClosed(from, to).boxed().toList();
    return new RedisClusterNode(
        RedisURI.create("redis://127.0.0.1:" + port),
        id,
        true,
        role == NodeFlag.REPLICA ? "a" : null,
        0,
        0,
        1,
        slots,
        Set.of(role));
  }

  private void show(RedisClusterNode... nodes) {
    Partitions p = new Partitions();
    for (RedisClusterNode n : nodes) {
      p.addPartition(n);
    }
    p.updateCache();
    view.set(p);
  }

  private void healthy() {
    show(
        node("a", 1, NodeFlag.UPSTREAM, 0, 8191),
        node("b", 2, NodeFlag.UPSTREAM, 8192, 16383),
        node("a2", 3, NodeFlag.REPLICA, -1, -1));
  }

  @Test
  void firstLook_andAnUnchangedMap_areNoChange() {
    healthy();
    assertThat(masters.changeSinceLastLook()).isNull();
    healthy(); // a refresh that found the same topology (new objects)
    assertThat(masters.changeSinceLastLook()).isNull();
  }

  @Test
  void failover_replicaPromoted_isAChange_once() {
    healthy();
    masters.changeSinceLastLook();
    show(
        node("a", 1, NodeFlag.UPSTREAM, -1, -1),
        node("b", 2, NodeFlag.UPSTREAM, 8192, 16383),
        node("a2", 3, NodeFlag.UPSTREAM, 0, 8191));
    assertThat(masters.changeSinceLastLook())
        .isEqualTo("cluster masters changed: 1 node(s) became a master, 0 stopped being one");
    assertThat(masters.changeSinceLastLook()).isNull();
  }

  @Test
  void oldMasterRejoinsAsReplica_isAChange() {
    show(
        node("a", 1, NodeFlag.UPSTREAM, -1, -1),
        node("b", 2, NodeFlag.UPSTREAM, 8192, 16383),
        node("a2", 3, NodeFlag.UPSTREAM, 0, 8191));
    masters.changeSinceLastLook();
    show(
        node("a", 1, NodeFlag.REPLICA, -1, -1),
        node("b", 2, NodeFlag.UPSTREAM, 8192, 16383),
        node("a2", 3, NodeFlag.UPSTREAM, 0, 8191));
    assertThat(masters.changeSinceLastLook()).endsWith("1 stopped being one");
  }

  @Test
  void slotMigratedBetweenMasters_isNoChange() {
    // its keys move with the slot: nothing is lost, and a resharding must not make every client
    // re-read its cache at every step
    healthy();
    masters.changeSinceLastLook();
    show(
        node("a", 1, NodeFlag.UPSTREAM, 0, 8190),
        node("b", 2, NodeFlag.UPSTREAM, 8191, 16383),
        node("a2", 3, NodeFlag.REPLICA, -1, -1));
    assertThat(masters.changeSinceLastLook()).isNull();
  }

  @Test
  void afterForget_theNextLookOnlyTakesTheMapIn() {
    healthy();
    masters.changeSinceLastLook();
    masters.forget();
    show(node("a2", 3, NodeFlag.UPSTREAM, 0, 16383));
    assertThat(masters.changeSinceLastLook()).isNull();
    healthy();
    assertThat(masters.changeSinceLastLook()).isNotNull();
  }
}
