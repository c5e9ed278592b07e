package io.statefulroute.test.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A throwaway local Redis Cluster: {@code masters * (1 + replicasPerMaster)} {@link RedisProcess}
 * nodes with {@code --cluster-enabled yes}, joined by {@code redis-cli --cluster create}, and
 * returned only once every node agrees that all 16384 slots are served (and every replica's link is
 * up).
 *
 * <p>Fault-injection tests stop, kill and restart {@link #nodes()}, then call {@link
 * #awaitHealthy(Duration)} to wait for failover or rejoin. Get one from {@link
 * RedisServers#startCluster(int, int, String...)}; close it to stop every node and delete their
 * directories.
 */
public final class RedisClusterProcesses implements AutoCloseable {

  /** Default wait for a healthy cluster. */
  public static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(20);

  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);

  private final int masters;
  private final List<RedisProcess> nodes;

  private RedisClusterProcesses(int masters, List<RedisProcess> nodes) {
    this.masters = masters;
    this.nodes = List.copyOf(nodes);
  }

  static RedisClusterProcesses launch(
      RedisInstallation installation, int masters, int replicasPerMaster, List<String> extraArgs) {
    if (masters < 3) {
      throw new IllegalArgumentException(
          "A Redis Cluster needs at least 3 masters (redis-cli --cluster create refuses fewer): "
              + masters);
    }
    if (replicasPerMaster < 0) {
      throw new IllegalArgumentException("replicasPerMaster must be >= 0: " + replicasPerMaster);
    }
    List<RedisProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
        nodes.add(RedisProcess.launch(installation, true, extraArgs));
      }
      List<String> create =
          new ArrayList<>(List.of(installation.redisCli().toString(), "--cluster", "create"));
      nodes.forEach(node -> create.add(RedisProcess.HOST + ":" + node.port()));
      create.addAll(
          List.of("--cluster-replicas", String.valueOf(replicasPerMaster), "--cluster-yes"));
      String output = RedisProcess.runCli(create, CREATE_TIMEOUT);
      if (output.contains("[ERR")) {
        throw new IllegalStateException("`" + String.join(" ", create) + "` failed:\n" + output);
      }
      RedisClusterProcesses cluster = new RedisClusterProcesses(masters, nodes);
      cluster.awaitHealthy(
          replicasPerMaster == 0 ? HEALTHY_TIMEOUT : HEALTHY_TIMEOUT.multipliedBy(2));
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisProcess::close);
      throw e;
    }
  }

  /** Every node, in creation order (the order passed to {@code redis-cli --cluster create}). */
  public List<RedisProcess> nodes() {
    return nodes;
  }

  /** {@code redis://127.0.0.1:PORT} of every node: the seed list for a cluster client. */
  public List<String> uris() {
    return nodes.stream().map(RedisProcess::uri).toList();
  }

  /** This cluster as a throwaway {@link RedisTarget} of kind CLUSTER. */
  public RedisTarget target() {
    return new RedisTarget(RedisTarget.Kind.CLUSTER, uris(), true);
  }

  /** The nodes that currently own slots, as a running node sees them. */
  public List<RedisProcess> masters() {
    return select(n -> n.isMaster() && !n.flags().contains("fail") && !n.slots().isEmpty());
  }

  /** The nodes that are currently replicas, as a running node sees them. */
  public List<RedisProcess> replicas() {
    return select(ClusterView.Node::isReplica);
  }

  /** The nodes that currently replicate {@code master}, as a running node sees them. */
  public List<RedisProcess> replicasOf(RedisProcess master) {
    String masterId =
        ClusterView.nodes(master.port()).stream()
            .filter(node -> node.port() == master.port())
            .map(ClusterView.Node::id)
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException(master + " does not list itself in CLUSTER NODES"));
    return select(node -> node.isReplica() && masterId.equals(node.masterId()));
  }

  /** The master currently serving {@code key}'s hash slot. */
  public RedisProcess masterForKey(String key) {
    int port = anyRunning().port();
    Object slot = Resp.call(RedisProcess.HOST, port, "CLUSTER", "KEYSLOT", key);
    if (!(slot instanceof Long number)) {
      throw new IllegalStateException("CLUSTER KEYSLOT replied " + slot);
    }
    List<RedisProcess> owners =
        select(n -> n.isMaster() && !n.flags().contains("fail") && n.serves(number.intValue()));
    if (owners.size() != 1) {
      throw new IllegalStateException(
          "slot " + number + " of key " + key + " is served by " + owners);
    }
    return owners.get(0);
  }

  /** {@link #awaitHealthy(Duration)} with {@link #HEALTHY_TIMEOUT}. */
  public void awaitHealthy() {
    awaitHealthy(HEALTHY_TIMEOUT);
  }

  /**
   * Waits until, on every running node: {@code cluster_state:ok}, all 16384 slots assigned and ok,
   * as many healthy slot-owning masters as created, the same slot map everywhere, every running
   * node seen healthy by every other, and replication links up.
   *
   * @throws IllegalStateException on timeout, saying what was still wrong, with the logs' tails
   */
  public void awaitHealthy(Duration timeout) {
    try {
      Poll.until(
          timeout,
          "the Redis Cluster " + uris() + " to be healthy",
          () -> {
            List<RedisProcess> running = nodes.stream().filter(RedisProcess::isRunning).toList();
            try {
              return running.isEmpty()
                  ? "no node is running"
                  : ClusterView.problem(running, masters);
            } catch (IllegalStateException e) {
              return e.getMessage(); // an error reply (e.g. LOADING) from a node still starting
            }
          });
    } catch (IllegalStateException e) {
      StringBuilder message = new StringBuilder(e.getMessage());
      for (RedisProcess node : nodes) {
        message
            .append("\n--- tail of ")
            .append(node.logFile())
            .append(" ---\n")
            .append(node.logTail());
      }
      throw new IllegalStateException(message.toString(), e);
    }
  }

  /** Sends FLUSHALL to every running master. */
  public void flushAll() {
    masters().forEach(RedisProcess::flushAll);
  }

  /** Stops every node and deletes their directories; idempotent. */
  @Override
  public void close() {
    nodes.forEach(RedisProcess::close);
  }

  @Override
  public String toString() {
    return "Redis Cluster " + uris();
  }

  private RedisProcess anyRunning() {
    return nodes.stream()
        .filter(RedisProcess::isRunning)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no node of " + this + " is running"));
  }

  private List<RedisProcess> select(Predicate<ClusterView.Node> filter) {
    Map<Integer, RedisProcess> byPort =
        nodes.stream().collect(Collectors.toMap(RedisProcess::port, Function.identity()));
    return ClusterView.nodes(anyRunning().port()).stream()
        .filter(filter)
        .map(n -> byPort.get(n.port()))
        .filter(node -> node != null)
        .toList();
  }
}
