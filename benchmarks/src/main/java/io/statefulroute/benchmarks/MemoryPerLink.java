package io.statefulroute.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.redis.RedisStatefulExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;

/**
 * Redis memory per link, from {@code INFO memory} ({@code used_memory}) before and after writing
 * {@code n} links (default 1,000,000) on a throwaway standalone {@code redis-server}: temporary
 * links (a string with a TTL), persistent links (a string plus a field in the uid's index hash),
 * both through {@link RedisStatefulExecutor}; and, written with raw commands, the Java
 * predecessor's layout: a string key {@code slug-lk:{app:region:state:uid:svc}} plus a field in its
 * index hash {@code slug-lk-idx:{app:region:state:uid}}, with the same TTL for the temporary case.
 * The server is flushed between layouts, so it must be one started for the run.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.statefulroute.benchmarks.MemoryPerLink [n]
 * </pre>
 */
public final class MemoryPerLink {
  private static final String NS = "prod-eu";
  private static final String SVC = "chat";

  private MemoryPerLink() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    try (BenchmarkRedis redis = BenchmarkRedis.start(BenchmarkRedis.STANDALONE)) {
      if (!redis.isThrowaway()) {
        throw new IllegalStateException(
            "MemoryPerLink flushes its server: run it without REDIS_URL");
      }
      RedisClient client = (RedisClient) redis.newClient();
      try (StatefulRedisConnection<String, String> raw = client.connect(StringCodec.UTF8);
          RedisStatefulExecutor executor = RedisStatefulExecutor.create(client)) {
        RedisAsyncCommands<String, String> cmd = raw.async();
        System.out.printf(
            Locale.ROOT,
            "%d links per layout, uids like %s, namespace '%s', service" + " '%s'; %s%n",
            n,
            uid(123_456),
            NS,
            SVC,
            redis);
        row("temporary (this project)", n, measure(cmd, () -> write(executor, n, 3600)));
        row(
            "persistent (this project)",
            n,
            measure(cmd, () -> write(executor, n, StatefulExecutor.PERSISTENT)));
        row("temporary (predecessor layout)", n, measure(cmd, () -> predecessor(raw, n, true)));
        row("persistent (predecessor layout)", n, measure(cmd, () -> predecessor(raw, n, false)));
      } finally {
        BenchmarkRedis.shutdown(client);
      }
    }
    System.exit(0);
  }

  private static String uid(int i) {
    return String.format(Locale.ROOT, "user-%08d", i);
  }

  private static long measure(RedisAsyncCommands<String, String> cmd, Runnable write)
      throws Exception {
    cmd.flushall().get(60, TimeUnit.SECONDS);
    long before = usedMemory(cmd);
    write.run();
    long after = usedMemory(cmd);
    long keys = cmd.dbsize().get(10, TimeUnit.SECONDS);
    System.out.printf(Locale.ROOT, "  (%d keys)%n", keys);
    return after - before;
  }

  private static long usedMemory(RedisAsyncCommands<String, String> cmd) throws Exception {
    String info = cmd.info("memory").get(10, TimeUnit.SECONDS);
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()).trim());
      }
    }
    throw new IllegalStateException("no used_memory in INFO memory");
  }

  private static void write(StatefulExecutor executor, int n, long ttl) {
    Flux.range(0, n).flatMap(i -> executor.setLink(NS, uid(i), SVC, i % 16, ttl), 256).blockLast();
  }

  /** The predecessor's keys (app, region, state = prod, eu, live) written with raw commands. */
  private static void predecessor(
      StatefulRedisConnection<String, String> raw, int n, boolean temporary) {
    RedisAsyncCommands<String, String> cmd = raw.async();
    raw.setAutoFlushCommands(false);
    try {
      List<RedisFuture<?>> pending = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String id = "prod:eu:live:" + uid(i);
        String pod = Integer.toString(i % 16);
        String key = "slug-lk:{" + id + ":" + SVC + "}";
        String index = "slug-lk-idx:{" + id + "}";
        pending.add(temporary ? cmd.set(key, pod, SetArgs.Builder.ex(3600)) : cmd.set(key, pod));
        pending.add(cmd.hset(index, SVC, pod));
        if (temporary) {
          pending.add(cmd.expire(index, 3600));
        }
        if (pending.size() >= 3000) {
          raw.flushCommands();
          for (RedisFuture<?> f : pending) {
            f.get(30, TimeUnit.SECONDS);
          }
          pending.clear();
        }
      }
      raw.flushCommands();
      for (RedisFuture<?> f : pending) {
        f.get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      raw.setAutoFlushCommands(true);
    }
  }

  private static void row(String layout, int n, long bytes) {
    System.out.printf(
        Locale.ROOT,
        "%-34s %8.1f bytes per link (%,d bytes for %,d links)%n",
        layout,
        (double) bytes / n,
        bytes,
        n);
  }
}
