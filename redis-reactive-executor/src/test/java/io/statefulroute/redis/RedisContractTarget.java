package io.statefulroute.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.test.redis.RedisTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real Redis (standalone or cluster) for the executor contract: executors with their own
 * connections, and a raw connection for the hooks (PTTL, planting corrupt data, SCRIPT FLUSH).
 */
final class RedisContractTarget implements AutoCloseable {
  private final RedisTarget target;
  private final RedisClient standaloneClient;
  private final RedisClusterClient clusterClient;
  private final RedisClient rawStandaloneClient;
  private final RedisClusterClient rawClusterClient;
  private final RedisClusterCommands<String, String> raw;
  private final List<RedisStatefulExecutor> executors = new ArrayList<>();
  private final List<RedisStatefulExecutor> others = new ArrayList<>();

  RedisContractTarget(RedisTarget target) {
    this(target, target.uris().stream().map(RedisURI::create).collect(Collectors.toList()), null);
  }

  /**
   * Executors connect to {@code executorUris} with {@code executorOptions} (e.g. an ACL user's
   * credentials, TLS); the raw connection for the hooks uses {@code target}'s plain URIs (the
   * default user).
   */
  RedisContractTarget(
      RedisTarget target, List<RedisURI> executorUris, ClientOptions executorOptions) {
    this.target = target;
    List<RedisURI> rawUris =
        target.uris().stream().map(RedisURI::create).collect(Collectors.toList());
    if (target.isCluster()) {
      this.clusterClient = RedisClusterClient.create(executorUris);
      if (executorOptions != null) {
        clusterClient.setOptions(ClusterClientOptions.builder(executorOptions).build());
      }
      this.standaloneClient = null;
      this.rawClusterClient = RedisClusterClient.create(rawUris);
      this.rawStandaloneClient = null;
      this.raw = rawClusterClient.connect().sync();
    } else {
      this.standaloneClient = RedisClient.create(executorUris.get(0));
      if (executorOptions != null) {
        standaloneClient.setOptions(executorOptions);
      }
      this.clusterClient = null;
      this.rawStandaloneClient = RedisClient.create(rawUris.get(0));
      this.rawClusterClient = null;
      this.raw = rawStandaloneClient.connect().sync();
    }
  }

  RedisTarget target() {
    return target;
  }

  /** A new executor on its own connection, closed with this target. */
  synchronized RedisStatefulExecutor newExecutor(RedisExecutorOptions options) {
    RedisStatefulExecutor ex =
        clusterClient != null
            ? RedisStatefulExecutor.create(clusterClient, options)
            : RedisStatefulExecutor.create(standaloneClient, options);
    executors.add(ex);
    return ex;
  }

  /**
   * A new executor with {@code options} on its own connection, closed with this target; never one
   * of {@link #executors} (so other tests keep the default options).
   */
  synchronized RedisStatefulExecutor otherExecutor(RedisExecutorOptions options) {
    RedisStatefulExecutor ex =
        clusterClient != null
            ? RedisStatefulExecutor.create(clusterClient, options)
            : RedisStatefulExecutor.create(standaloneClient, options);
    others.add(ex);
    return ex;
  }

  synchronized List<StatefulExecutor> executors(int n) {
    while (executors.size() < n) {
      newExecutor(RedisExecutorOptions.defaults());
    }
    return List.copyOf(executors.subList(0, n));
  }

  RedisClusterCommands<String, String> raw() {
    return raw;
  }

  /**
   * How many SCAN commands the masters have run since they started (INFO commandstats, summed over
   * every master of a cluster).
   */
  long scanCalls() {
    List<String> infos = new ArrayList<>();
    if (raw instanceof RedisAdvancedClusterCommands<String, String> cluster) {
      cluster.upstream().commands().info("commandstats").forEach(infos::add);
    } else {
      infos.add(raw.info("commandstats"));
    }
    long calls = 0;
    for (String info : infos) {
      for (String line : info.split("\r?\n")) {
        if (line.startsWith("cmdstat_scan:calls=")) {
          calls += Long.parseLong(line.substring(19, line.indexOf(',')));
        }
      }
    }
    return calls;
  }

  void flushScripts() {
    raw.scriptFlush();
  }

  @Override
  public synchronized void close() {
    executors.forEach(RedisStatefulExecutor::close);
    executors.clear();
    others.forEach(RedisStatefulExecutor::close);
    others.clear();
    if (clusterClient != null) {
      clusterClient.shutdown();
      rawClusterClient.shutdown();
    } else {
      standaloneClient.shutdown();
      rawStandaloneClient.shutdown();
    }
  }
}
