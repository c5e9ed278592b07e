package io.statefulroute.test.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One node's view of a Redis Cluster, parsed from {@code CLUSTER NODES}, and the health check that
 * all running nodes must pass before a test may use the cluster.
 */
final class ClusterView {

  static final int SLOTS = 16384;

  /** One line of {@code CLUSTER NODES}. */
  record Node(String id, int port, Set<String> flags, String masterId, List<SlotRange> slots) {

    boolean isMaster() {
      return flags.contains("master");
    }

    boolean isReplica() {
      return flags.contains("slave");
    }

    /** Neither failing nor still joining, as seen by the viewer. */
    boolean isHealthy() {
      return !flags.contains("fail")
          && !flags.contains("fail?")
          && !flags.contains("handshake")
          && !flags.contains("noaddr");
    }

    boolean serves(int slot) {
      return slots.stream().anyMatch(range -> range.from() <= slot && slot <= range.to());
    }

    int slotCount() {
      return slots.stream().mapToInt(range -> range.to() - range.from() + 1).sum();
    }
  }

  /** An inclusive range of hash slots. */
  record SlotRange(int from, int to) {
    @Override
    public String toString() {
      return from == to ? String.valueOf(from) : from + "-" + to;
    }
  }

  private ClusterView() {}

  /** The nodes as the node on {@code port} sees them. */
  static List<Node> nodes(int port) {
    return parse(Resp.callString(RedisProcess.HOST, port, "CLUSTER", "NODES"));
  }

  static List<Node> parse(String clusterNodes) {
    List<Node> nodes = new ArrayList<>();
    for (String line : clusterNodes.split("\r?\n")) {
      String[] fields = line.trim().split(" ");
      if (fields.length < 8) {
        continue;
      }
      String address = fields[1];
      int at = address.indexOf('@');
      String hostPort = at >= 0 ? address.substring(0, at) : address;
      int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
      List<SlotRange> slots = new ArrayList<>();
      for (int i = 8; i < fields.length; i++) {
        String slot = fields[i];
        if (slot.startsWith("[")) {
          continue; // importing / migrating marker
        }
        int dash = slot.indexOf('-');
        slots.add(
            dash < 0
                ? new SlotRange(Integer.parseInt(slot), Integer.parseInt(slot))
                : new SlotRange(
                    Integer.parseInt(slot.substring(0, dash)),
                    Integer.parseInt(slot.substring(dash + 1))));
      }
      nodes.add(
          new Node(fields[0], port, Set.of(fields[2].split(",")), fields[3], List.copyOf(slots)));
    }
    return nodes;
  }

  /**
   * Checks the cluster from the view of every running node: {@code cluster_state:ok}, all 16384
   * slots assigned and ok, exactly {@code masters} healthy masters owning slots, the same slot map
   * on every node, every running node seen as healthy by every other, and every running replica's
   * link to its master up.
   *
   * @return {@code null} when healthy, else what is not (yet) right
   */
  static @Nullable String problem(List<RedisProcess> running, int masters) {
    String reference = null;
    for (RedisProcess node : running) {
      int port = node.port();
      String info = Resp.callString(RedisProcess.HOST, port, "CLUSTER", "INFO");
      for (String[] expected :
          new String[][] {
            {"cluster_state", "ok"},
            {"cluster_slots_assigned", String.valueOf(SLOTS)},
            {"cluster_slots_ok", String.valueOf(SLOTS)}
          }) {
        String actual = Resp.infoField(info, expected[0]);
        if (!expected[1].equals(actual)) {
          return "node " + port + " reports " + expected[0] + ":" + actual;
        }
      }
      List<Node> view = nodes(port);
      List<Node> owners =
          view.stream()
              .filter(n -> n.isMaster() && !n.flags().contains("fail") && !n.slots().isEmpty())
              .toList();
      int covered = owners.stream().mapToInt(Node::slotCount).sum();
      if (owners.size() != masters || covered != SLOTS) {
        return "node "
            + port
            + " sees "
            + owners.size()
            + " masters owning "
            + covered
            + " slots, expected "
            + masters
            + " owning "
            + SLOTS;
      }
      for (RedisProcess other : running) {
        boolean seenHealthy =
            view.stream().anyMatch(n -> n.port() == other.port() && n.isHealthy());
        if (!seenHealthy) {
          return "node " + port + " does not (yet) see node " + other.port() + " as healthy";
        }
        // a node that owns no slot must already be a replica (right after --cluster create,
        // replicas are briefly slot-less masters until CLUSTER REPLICATE propagates)
        boolean placed =
            view.stream()
                .anyMatch(
                    n ->
                        n.port() == other.port()
                            && (n.isReplica() || (n.isMaster() && !n.slots().isEmpty())));
        if (!placed) {
          return "node "
              + port
              + " does not (yet) see node "
              + other.port()
              + " as a replica or a slot owner";
        }
      }
      Set<String> slotMap = new TreeSet<>();
      owners.forEach(owner -> slotMap.add(owner.port() + "=" + owner.slots()));
      String signature = slotMap.toString();
      if (reference == null) {
        reference = signature;
      } else if (!reference.equals(signature)) {
        return "nodes disagree on slots: " + reference + " vs node " + port + ": " + signature;
      }
      boolean isReplica =
          view.stream().anyMatch(n -> n.flags().contains("myself") && n.isReplica());
      if (isReplica) {
        String replication = Resp.callString(RedisProcess.HOST, port, "INFO", "replication");
        String link = Resp.infoField(replication, "master_link_status");
        if (!"up".equals(link)) {
          return "replica " + port + " has master_link_status:" + link;
        }
      }
    }
    return null;
  }
}
