package io.statefulroute.benchmarks;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.redis.RedisStatefulExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * The staleness window of cached links on real Redis: the time from a link change made by one
 * client to the moment every other client's {@code computeLinkedPod} answers the new pod, with
 * pushed invalidation (the default) and with TTL-only caches ({@code cacheInvalidation(false)}).
 *
 * <p>Not JMH: the result is a latency distribution of a rare event, measured per change.
 *
 * <ul>
 *   <li>Invalidation: {@code changes} links are moved one after the other; after each move the
 *       other clients are checked in a tight loop (cache hits, no I/O) until all see it.
 *   <li>TTL-only: {@code ttlUids} uids are cached at times spread evenly over one cache TTL, then
 *       all moved at once; each is checked every 10 ms until every client sees it. Staleness is
 *       then the entry's remaining TTL: uniform between 0 and the TTL.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.statefulroute.benchmarks.StalenessWindow \
 *     [standalone|cluster] [changes=2000] [clients=4] [ttlSeconds=30] [ttlUids=300]
 * </pre>
 */
public final class StalenessWindow {
  private static final String NS = "stale-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String SVC = "game";
  private static final int PODS = 4;

  private StalenessWindow() {}

  public static void main(String[] args) throws Exception {
    String topology = args.length > 0 ? args[0] : BenchmarkRedis.STANDALONE;
    int changes = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int ttlSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    int ttlUids = args.length > 4 ? Integer.parseInt(args[4]) : 300;
    try (BenchmarkRedis redis = BenchmarkRedis.start(topology)) {
      System.out.printf(
          "Redis: %s; %d clients, each on its own executor and connection%n", redis, clients);
      long[] pushed = run(redis, clients, true, Duration.ofSeconds(30), changes, 0);
      report("pushed invalidation (cache TTL 30 s)", pushed);
      long[] ttlOnly = run(redis, clients, false, Duration.ofSeconds(ttlSeconds), 0, ttlUids);
      report("TTL only (cache TTL " + ttlSeconds + " s)", ttlOnly);
    }
    System.exit(0);
  }

  private static long[] run(
      BenchmarkRedis redis,
      int clientCount,
      boolean invalidation,
      Duration cacheTtl,
      int changes,
      int ttlUids) {
    List<AbstractRedisClient> lettuce = new ArrayList<>();
    List<StatefulExecutor> executors = new ArrayList<>();
    List<ServerDriver> pods = new ArrayList<>();
    List<ClientDriver> clients = new ArrayList<>();
    try {
      for (int i = 0; i < clientCount; i++) {
        AbstractRedisClient client = redis.newClient();
        lettuce.add(client);
        executors.add(
            client instanceof RedisClusterClient cluster
                ? RedisStatefulExecutor.create(cluster)
                : RedisStatefulExecutor.create((RedisClient) client));
      }
      for (int pod = 0; pod < PODS; pod++) {
        ServerDriver server =
            ServerDriver.create(executors.get(0), ServerOptions.builder(NS, SVC, pod).build());
        server.start().block();
        pods.add(server);
      }
      for (StatefulExecutor executor : executors) {
        clients.add(
            ClientDriver.create(
                executor,
                ClientOptions.builder()
                    .cacheInvalidation(invalidation)
                    .cacheExpireAfterWrite(cacheTtl)
                    .leaseTtl(cacheTtl.plusMinutes(5))
                    .build()));
      }
      for (ClientDriver client : clients) {
        client.computeLinkedPod(NS, "warm", SVC).block();
      }
      if (invalidation) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!clients.stream().allMatch(c -> c.isCacheCoherent(NS))) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("clients did not subscribe within 10 s");
          }
          LockSupport.parkNanos(1_000_000);
        }
        return sequentialMoves(executors.get(0), clients, changes);
      }
      return simultaneousMoves(executors.get(0), clients, cacheTtl, ttlUids);
    } finally {
      clients.forEach(ClientDriver::close);
      pods.forEach(p -> p.stop().block(Duration.ofSeconds(5)));
      executors.forEach(StatefulExecutor::close);
      lettuce.forEach(BenchmarkRedis::shutdown);
    }
  }

  /** Moves one link at a time; waits (spinning on cache hits) until every other client sees it. */
  private static long[] sequentialMoves(
      StatefulExecutor writer, List<ClientDriver> clients, int changes) {
    int uidCount = Math.min(1000, Math.max(1, changes));
    int[] pod = new int[uidCount];
    for (int u = 0; u < uidCount; u++) {
      String uid = "u" + u;
      for (ClientDriver client : clients) {
        pod[u] = client.computeLinkedPod(NS, uid, SVC).block();
      }
    }
    long[] window = new long[changes];
    for (int i = 0; i < changes; i++) {
      int u = i % uidCount;
      String uid = "u" + u;
      int next = (pod[u] + 1) % PODS;
      long start = System.nanoTime();
      writer.setLink(NS, uid, SVC, next, 300).block();
      long deadline = start + Duration.ofSeconds(10).toNanos();
      for (int c = 1; c < clients.size(); c++) {
        while (clients.get(c).computeLinkedPod(NS, uid, SVC).block() != next) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "client " + c + " still answers the old pod of " + uid + " after 10 s");
          }
          Thread.onSpinWait();
        }
      }
      window[i] = System.nanoTime() - start;
      pod[u] = next;
    }
    return window;
  }

  /** Caches uids spread over one TTL, moves them all, then polls until every client sees each. */
  private static long[] simultaneousMoves(
      StatefulExecutor writer, List<ClientDriver> clients, Duration cacheTtl, int uids) {
    int[] pod = new int[uids];
    long spacing = cacheTtl.toNanos() / uids;
    long begin = System.nanoTime();
    for (int u = 0; u < uids; u++) {
      LockSupport.parkNanos(begin + u * spacing - System.nanoTime());
      for (ClientDriver client : clients) {
        pod[u] = client.computeLinkedPod(NS, "t" + u, SVC).block();
      }
    }
    long start = System.nanoTime();
    for (int u = 0; u < uids; u++) {
      writer.setLink(NS, "t" + u, SVC, (pod[u] + 1) % PODS, 300).block();
    }
    long[] window = new long[uids];
    int open = uids;
    long deadline = start + cacheTtl.toNanos() * 2 + Duration.ofSeconds(10).toNanos();
    while (open > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(open + " uids still stale after twice the cache TTL");
      }
      LockSupport.parkNanos(10_000_000);
      long now = System.nanoTime();
      for (int u = 0; u < uids; u++) {
        if (window[u] != 0) {
          continue;
        }
        int next = (pod[u] + 1) % PODS;
        boolean all = true;
        for (int c = 1; c < clients.size() && all; c++) {
          all = clients.get(c).computeLinkedPod(NS, "t" + u, SVC).block() == next;
        }
        if (all) {
          window[u] = Math.max(1, now - start);
          open--;
        }
      }
    }
    return window;
  }

  private static void report(String mode, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-40s n=%5d  p50 %9.3f ms  p90 %9.3f ms  p99 %9.3f ms  max %9.3f ms%n",
        mode,
        sorted.length,
        ms(sorted, 0.50),
        ms(sorted, 0.90),
        ms(sorted, 0.99),
        sorted[sorted.length - 1] / 1e6);
  }

  private static double ms(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }
}
