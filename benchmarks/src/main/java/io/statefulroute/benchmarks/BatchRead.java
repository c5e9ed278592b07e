package io.statefulroute.benchmarks;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.redis.RedisStatefulExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;

/**
 * {@code ClientDriver.batchGetLinkedPod} for {@value #UIDS} uids (one call, grouped by pod), and as
 * a baseline the same reads as raw Lettuce MGETs of {@value #CHUNK} keys, all in flight at once (on
 * a cluster, Lettuce's cluster MGET splits each by slot). Score: calls per second; multiply by
 * {@value #UIDS} for uids per second. Every uid has a link; every result is checked.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 3, time = 4)
@Threads(1)
@State(Scope.Benchmark)
public class BatchRead {
  static final int UIDS = 10_000;
  static final int CHUNK = 512;
  private static final String SVC = "game";

  @Param({BenchmarkRedis.STANDALONE, BenchmarkRedis.CLUSTER})
  public String topology;

  private BenchmarkRedis redis;
  private AbstractRedisClient lettuce;
  private StatefulExecutor executor;
  private ClientDriver client;
  private RedisClusterReactiveCommands<String, String> raw;
  private AutoCloseable rawConnection;
  private final String ns = "batch-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<String> uids = new ArrayList<>(UIDS);
  private final List<String[]> keyChunks = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp() {
    redis = BenchmarkRedis.start(topology);
    lettuce = redis.newClient();
    if (lettuce instanceof RedisClusterClient cluster) {
      executor = RedisStatefulExecutor.create(cluster);
      StatefulRedisClusterConnection<String, String> c = cluster.connect(StringCodec.UTF8);
      raw = c.reactive();
      rawConnection = c;
    } else {
      RedisClient standalone = (RedisClient) lettuce;
      executor = RedisStatefulExecutor.create(standalone);
      StatefulRedisConnection<String, String> c = standalone.connect(StringCodec.UTF8);
      raw = c.reactive();
      rawConnection = c;
    }
    client = ClientDriver.create(executor, ClientOptions.defaults());
    KeySchema keys = KeySchema.defaults();
    for (int i = 0; i < UIDS; i++) {
      uids.add("user-" + i);
    }
    Flux.range(0, UIDS)
        .flatMap(i -> executor.setLink(ns, uids.get(i), SVC, i % 8, 3600), 256)
        .blockLast();
    for (int from = 0; from < UIDS; from += CHUNK) {
      int to = Math.min(UIDS, from + CHUNK);
      String[] chunk = new String[to - from];
      for (int i = from; i < to; i++) {
        chunk[i - from] = keys.link(ns, uids.get(i), SVC);
      }
      keyChunks.add(chunk);
    }
    check(client.batchGetLinkedPod(ns, uids, SVC).block());
    check(lettuceMget());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try (BenchmarkRedis r = redis) {
      client.close();
      executor.close();
      rawConnection.close();
      BenchmarkRedis.shutdown(lettuce);
    }
  }

  @Benchmark
  public Map<Integer, List<String>> clientDriver() {
    return client.batchGetLinkedPod(ns, uids, SVC).block();
  }

  @Benchmark
  public int lettuceMget() {
    Long found =
        Flux.fromIterable(keyChunks)
            .flatMap(chunk -> raw.mget(chunk), keyChunks.size())
            .filter(KeyValue::hasValue)
            .count()
            .block();
    return found.intValue();
  }

  private static void check(Map<Integer, List<String>> byPod) {
    int total = byPod.values().stream().mapToInt(List::size).sum();
    if (total != UIDS || byPod.size() != 8) {
      throw new IllegalStateException(
          "batch read found "
              + total
              + " uids on "
              + byPod.size()
              + " pods, expected "
              + UIDS
              + " on 8");
    }
  }

  private static void check(int found) {
    if (found != UIDS) {
      throw new IllegalStateException("MGETs found " + found + " values, expected " + UIDS);
    }
  }
}
