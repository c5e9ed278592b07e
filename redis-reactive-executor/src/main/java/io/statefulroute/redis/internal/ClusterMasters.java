package io.statefulroute.redis.internal;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The masters of a Redis Cluster as the client's slot map shows them, compared from one look to
 * the next. A slot now served by another node, or a node that became or stopped being a master,
 * is a master change: a failover (writes the old master acknowledged may be lost), a manual
 * takeover, a slot migration, or an old master rejoining as a replica (what it accepted while
 * cut off is dropped then). Lettuce updates the slot map when it refreshes the topology, so a
 * change is seen at the client's next refresh (periodic, or triggered by a redirection or a lost
 * node: see {@code ClusterTopologyRefreshOptions}).
 *
 * <p>Not thread-safe: one caller at a time (the link-event subscriber's worker). A look reads the
 * 16,384 entries of Lettuce's slot cache and the node list.
 */
public final class ClusterMasters {
  private final Supplier<Partitions> partitions;
  /** Per slot, the node id of its master at the last look ("" = none); null before the first. */
  private String[] masterBySlot;
  /** The node ids flagged master at the last look. */
  private Set<String> masters = Set.of();

  public ClusterMasters(Supplier<Partitions> partitions) {
    this.partitions = partitions;
  }

  /**
   * Looks at the slot map now.
   *
   * @return what changed since the previous look, in words; {@code null} when nothing did, and
   *     at the first look (or the first after {@link #forget})
   */
  public String changeSinceLastLook() {
    Partitions view = partitions.get();
    boolean first = masterBySlot == null;
    if (first) {
      masterBySlot = new String[SlotHash.SLOT_COUNT];
    }
    int moved = 0;
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      RedisClusterNode node = view.getMasterBySlot(slot);
      String id = node == null || node.getNodeId() == null ? "" : node.getNodeId();
      if (!id.equals(masterBySlot[slot])) {
        masterBySlot[slot] = id;
        moved++;
      }
    }
    Set<String> now = upstreamIds(view);
    boolean rolesChanged = !now.equals(masters);
    masters = now;
    if (first || (moved == 0 && !rolesChanged)) {
      return null;
    }
    return moved > 0
        ? "cluster masters changed: " + moved + " slots now served by another node"
        : "cluster masters changed: a node became or stopped being a master";
  }

  /** Forgets the last look: the next one only takes the map in. */
  public void forget() {
    masterBySlot = null;
    masters = Set.of();
  }

  private static Set<String> upstreamIds(Partitions view) {
    Set<String> ids = new HashSet<>();
    for (RedisClusterNode node : view) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && node.getNodeId() != null) {
        ids.add(node.getNodeId());
      }
    }
    return Set.copyOf(ids);
  }
}
