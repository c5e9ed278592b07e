package io.statefulroute.benchmarks;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.redis.RedisExecutorOptions;
import io.statefulroute.redis.RedisStatefulExecutor;
import io.statefulroute.test.redis.RedisClusterProcesses;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The cost of link-change announcements on a Redis Cluster, classic ({@code PUBLISH} on the
 * namespace's channel, broadcast over the cluster bus to every node) against sharded ({@code
 * SPUBLISH} on the channel of the uid's slot, delivered within its shard), at 3 and 6 masters.
 *
 * <p>For each cluster size and mode, on a throwaway local cluster: {@code subscribers} executors
 * (each its own Lettuce client) listen to the namespace; one writer executor moves links of 10,000
 * uids for {@code seconds} with 32 calls in flight. Reported: announcements per second (the
 * writer's changes, and what each subscriber heard), the cluster bus traffic per announcement
 * (bytes from the kernel's per-socket counters of every connection to a bus port, {@code ss -ti};
 * messages from {@code CLUSTER INFO cluster_stats_messages_sent}, summed over every node, less an
 * idle period of the same length), the delivery window: 1,000 links moved one after the other, from
 * the writer's call to the moment every subscriber has heard the change (p50, p99), and how long
 * the subscribers took to listen to the namespace (all of them, subscribing at once).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.statefulroute.benchmarks.ClusterAnnouncements \
 *     [seconds=10] [subscribers=4] [replicasPerMaster=1] [masters=3,6]
 * </pre>
 */
public final class ClusterAnnouncements {
  private static final String SVC = "game";
  private static final int UIDS = 10_000;
  private static final int IN_FLIGHT = 32;
  private static final int SEQUENTIAL = 1000;

  private ClusterAnnouncements() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int replicas = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int[] sizes =
        Arrays.stream((args.length > 3 ? args[3] : "3,6").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    System.out.printf(
        Locale.ROOT,
        "%d subscribers, %d replica(s) per master, %d s per run, %d in flight%n",
        subscribers,
        replicas,
        seconds,
        IN_FLIGHT);
    System.out.println(
        "masters | mode    | changes/s | heard/s per sub | bus B/change | bus msgs/change"
            + " | delivery p50 | p99      | listening after");
    for (int masters : sizes) {
      try (RedisClusterProcesses cluster = RedisServers.startCluster(masters, replicas)) {
        BusCounters idle = BusCounters.read(cluster);
        Thread.sleep(seconds * 1000L);
        BusCounters idleDelta = BusCounters.read(cluster).minus(idle);
        for (boolean sharded : new boolean[] {false, true}) {
          run(cluster, masters, sharded, seconds, subscribers, idleDelta);
        }
      }
    }
    System.exit(0);
  }

  private static void run(
      RedisClusterProcesses cluster,
      int masters,
      boolean sharded,
      int seconds,
      int subscriberCount,
      BusCounters idle)
      throws InterruptedException {
    String ns = "ann-" + UUID.randomUUID().toString().substring(0, 8);
    RedisExecutorOptions options =
        RedisExecutorOptions.builder().shardedAnnouncements(sharded).build();
    List<RedisClusterClient> clients = new ArrayList<>();
    List<RedisStatefulExecutor> executors = new ArrayList<>();
    List<Disposable> subscriptions = new ArrayList<>();
    try {
      for (int i = 0; i <= subscriberCount; i++) {
        RedisClusterClient client =
            RedisClusterClient.create(cluster.uris().stream().map(RedisURI::create).toList());
        clients.add(client);
        executors.add(RedisStatefulExecutor.create(client, options));
      }
      RedisStatefulExecutor writer = executors.get(0);
      List<AtomicLong> heard = new ArrayList<>();
      List<Set<String>> seen = new ArrayList<>();
      AtomicLong listening = new AtomicLong();
      long subscribing = System.nanoTime();
      for (RedisStatefulExecutor subscriber : executors.subList(1, executors.size())) {
        AtomicLong count = new AtomicLong();
        Set<String> keys = ConcurrentHashMap.newKeySet();
        heard.add(count);
        seen.add(keys);
        subscriptions.add(
            subscriber
                .linkEvents(ns)
                .subscribe(
                    e -> {
                      if (e instanceof LinkEvent.Subscribed) {
                        listening.incrementAndGet();
                      } else if (e instanceof LinkEvent.Unsubscribed u) {
                        System.out.println("  (a subscriber: " + u.reason() + ")");
                      } else if (e instanceof LinkEvent.Linked l) {
                        count.incrementAndGet();
                        keys.add(l.uid() + "=" + l.pod());
                      }
                    }));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (listening.get() < subscriberCount) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("subscribers not listening within 30 s");
        }
        Thread.sleep(10);
      }
      double listenMs = (System.nanoTime() - subscribing) / 1e6;
      // throughput and bus traffic
      BusCounters before = BusCounters.read(cluster);
      long start = System.nanoTime();
      long end = start + Duration.ofSeconds(seconds).toNanos();
      AtomicLong seq = new AtomicLong();
      long changes =
          Flux.generate(sink -> sink.next(seq.getAndIncrement()))
              .takeWhile(i -> System.nanoTime() < end)
              .flatMap(
                  i -> {
                    long n = (Long) i;
                    // counted when done: a first link's reply is empty
                    return writer
                        .setLink(ns, "u" + (n % UIDS), SVC, (int) (n / UIDS) % 8, 600)
                        .thenReturn(n);
                  },
                  IN_FLIGHT)
              .count()
              .block();
      double elapsed = (System.nanoTime() - start) / 1e9;
      Thread.sleep(500); // the last announcements arrive
      BusCounters traffic = BusCounters.read(cluster).minus(before).minus(idle);
      long heardMin = heard.stream().mapToLong(AtomicLong::get).min().orElse(0);
      // delivery window
      long[] window = new long[SEQUENTIAL];
      for (int i = 0; i < SEQUENTIAL; i++) {
        String uid = "s" + i;
        String key = uid + "=" + (i % 8);
        long t0 = System.nanoTime();
        writer.setLink(ns, uid, SVC, i % 8, 600).block();
        long wait = t0 + Duration.ofSeconds(10).toNanos();
        while (!seen.stream().allMatch(s -> s.contains(key))) {
          if (System.nanoTime() > wait) {
            throw new IllegalStateException("a change was not heard within 10 s: " + key);
          }
          Thread.onSpinWait();
        }
        window[i] = System.nanoTime() - t0;
      }
      Arrays.sort(window);
      System.out.printf(
          Locale.ROOT,
          "%7d | %-7s | %9.0f | %15.0f | %12.0f | %15.2f | %9.2f ms | %6.2f ms | %6.0f ms%n",
          masters,
          sharded ? "sharded" : "classic",
          changes / elapsed,
          heardMin / elapsed,
          (double) traffic.bytes / changes,
          (double) traffic.messages / changes,
          window[SEQUENTIAL / 2] / 1e6,
          window[(int) Math.ceil(SEQUENTIAL * 0.99) - 1] / 1e6,
          listenMs);
    } finally {
      subscriptions.forEach(Disposable::dispose);
      executors.forEach(RedisStatefulExecutor::close);
      clients.forEach(BenchmarkRedis::shutdown);
    }
  }

  /** The cluster bus's traffic so far: bytes sent on bus connections, messages sent. */
  private record BusCounters(long bytes, long messages) {
    static BusCounters read(RedisClusterProcesses cluster) {
      long messages = 0;
      for (RedisProcess node : cluster.nodes()) {
        for (String line : node.redisCli("CLUSTER", "INFO").split("\n")) {
          if (line.startsWith("cluster_stats_messages_sent:")) {
            messages += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
          }
        }
      }
      Set<Integer> busPorts =
          cluster.nodes().stream().map(n -> n.port() + 10_000).collect(Collectors.toSet());
      return new BusCounters(SocketBytes.sentOnPorts(busPorts), messages);
    }

    BusCounters minus(BusCounters other) {
      return new BusCounters(bytes - other.bytes, messages - other.messages);
    }
  }
}
