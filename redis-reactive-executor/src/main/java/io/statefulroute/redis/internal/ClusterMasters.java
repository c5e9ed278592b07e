package io.statefulroute.redis.internal;

import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The masters of a Redis Cluster as the client's view of the topology shows them, compared from one
 * look to the next. A node that became a master (a replica promoted by a failover or a takeover:
 * writes the old master acknowledged may be lost) or stopped being one (an old master rejoining as
 * a replica: what it accepted while cut off is dropped then) is a master change. A slot migrating
 * between masters is not: its keys move with it and nothing is lost. A failed master still listed
 * as a master (flagged {@code fail}) counts as one until it is a replica. Lettuce updates its view
 * when it refreshes the topology, so a change is seen at the client's next refresh (periodic, or
 * triggered by a redirection or a lost node: see {@code ClusterTopologyRefreshOptions}).
 *
 * <p>Not thread-safe: one caller at a time (the link-event subscriber's worker).
 *
 * <p>Internal, not API: may change.
 */
public final class ClusterMasters {
  private final Supplier<Partitions> partitions;

  /** The node ids listed as masters at the last look; null before the first. */
  private @Nullable Set<String> masters;

  public ClusterMasters(Supplier<Partitions> partitions) {
    this.partitions = partitions;
  }

  /**
   * Looks at the client's view now.
   *
   * @return what changed since the previous look, in words; {@code null} when nothing did, and at
   *     the first look (or the first after {@link #forget})
   */
  public @Nullable String changeSinceLastLook() {
    Set<String> now = new HashSet<>();
    for (RedisClusterNode node : partitions.get()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && node.getNodeId() != null) {
        now.add(node.getNodeId());
      }
    }
    Set<String> before = masters;
    masters = now;
    if (before == null || before.equals(now)) {
      return null;
    }
    long gained = now.stream().filter(id -> !before.contains(id)).count();
    long lost = before.stream().filter(id -> !now.contains(id)).count();
    return "cluster masters changed: "
        + gained
        + " node(s) became a master, "
        + lost
        + " stopped being one";
  }

  /** Forgets the last look: the next one only takes the view in. */
  public void forget() {
    masters = null;
  }
}
