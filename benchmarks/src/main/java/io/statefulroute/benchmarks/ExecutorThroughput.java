package io.statefulroute.benchmarks;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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

/**
 * Throughput of link operations on one Redis connection: {@link RedisStatefulExecutor
 * io.statefulroute.redis.RedisStatefulExecutor} (default options, so flushes coalesce; and with
 * {@code coalesceFlushes=false} as a control) against plain Lettuce on a default connection, which
 * flushes the socket after every command, and against two peers that users compare it with: Spring
 * Data Redis reactive ({@link SpringDataRedisLinks}) and Redisson reactive ({@link RedissonLinks}),
 * each with its default settings, sending the same script and the same reads.
 *
 * <p><b>Load model: a closed loop.</b> One benchmark thread keeps exactly {@link #inFlight}
 * operations running (see {@link ClosedLoop}): an invocation waits for a free slot, then issues one
 * operation, which frees its slot when it completes on the connection's event loop. The score is
 * operations per second ({@code batchGetLinks}: batches of {@value #BATCH} uids; its {@code uids}
 * counter gives uids per second). At {@code inFlight=1} that is one round trip at a time, at 256 a
 * deep pipeline. Every reply is checked; a failed or wrong reply fails the run.
 *
 * <p><b>Data.</b> A pool of {@value #POOL} uids, each linked before the measurement, addressed in
 * turn; set-if-absent therefore always finds the link (and refreshes its lease).
 *
 * <p>Each fork starts a throwaway redis-server (or a 3-master cluster for {@code -p
 * topology=cluster}) unless {@code REDIS_URL} / {@code REDIS_CLUSTER_URLS} name one; see {@link
 * BenchmarkRedis}. After each iteration a {@code [stats]} line shows commands per Redis read event
 * and the CPU used by the JVM and by Redis.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 3, time = 3)
@Threads(1)
@State(Scope.Benchmark)
public class ExecutorThroughput {
  static final int POOL = 10_000;
  static final int BATCH = 100;

  /** Who runs the operations: see {@link LinkClient}. */
  @Param({
    LinkClient.EXECUTOR,
    LinkClient.EXECUTOR_NO_COALESCE,
    LinkClient.LETTUCE,
    LinkClient.SPRING_DATA_REDIS,
    LinkClient.REDISSON
  })
  public String client;

  /** Operations kept in flight on the connection. */
  @Param({"1", "16", "64", "256"})
  public int inFlight;

  /** {@code standalone} or {@code cluster} (a local 3-master cluster). */
  @Param({BenchmarkRedis.STANDALONE})
  public String topology;

  private BenchmarkRedis redis;
  private AbstractRedisClient lettuce;
  private AbstractRedisClient adminClient;
  private StatefulConnection<String, String> admin;
  private LinkPool pool;
  private LinkClient links;
  private ClosedLoop loop;
  private ServerStats stats;
  private int nextUid;
  private int nextBatch;

  /** uids read per second by {@code batchGetLinks}, next to its batches per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class BatchCounters {
    public long uids;

    @Setup(Level.Iteration)
    public void reset() {
      uids = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    redis = BenchmarkRedis.start(topology);
    pool = new LinkPool(POOL, BATCH);
    adminClient = redis.newClient();
    admin = connect(adminClient);
    pool.populate(async(admin));
    lettuce = redis.newClient();
    links = LinkClient.open(client, lettuce, redis, pool);
    loop = new ClosedLoop(inFlight);
    stats = new ServerStats(redis.uris());
    System.out.println(
        "[setup] "
            + redis
            + "; "
            + links
            + "; "
            + POOL
            + " links in namespace "
            + pool.namespace());
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    stats.start(loop.completed());
  }

  @TearDown(Level.Iteration)
  public void endIteration() throws InterruptedException {
    loop.drain();
    System.out.println(stats.end(loop.completed()));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try (BenchmarkRedis r = redis;
        ServerStats s = stats) {
      if (links != null) {
        links.close();
      }
      BenchmarkRedis.shutdown(lettuce);
      if (admin != null && !r.isThrowaway()) {
        pool.delete(async(admin));
      }
      BenchmarkRedis.shutdown(adminClient);
    }
  }

  @Benchmark
  public void setLinkIfAbsent() throws InterruptedException {
    int i = nextUid();
    loop.acquire();
    loop.run(links.setLinkIfAbsent(i), LinkPool.podArg(LinkPool.pod(i)), 1);
  }

  @Benchmark
  public void getLink() throws InterruptedException {
    int i = nextUid();
    loop.acquire();
    loop.run(links.getLink(i), LinkPool.podArg(LinkPool.pod(i)), 1);
  }

  @Benchmark
  public void batchGetLinks(BatchCounters counters) throws InterruptedException {
    int b = nextBatch;
    nextBatch = b + 1 == pool.batches() ? 0 : b + 1;
    loop.acquire();
    loop.run(links.batchGetLinks(b), "", BATCH);
    counters.uids += BATCH;
  }

  private int nextUid() {
    int i = nextUid;
    nextUid = i + 1 == POOL ? 0 : i + 1;
    return i;
  }

  private static StatefulConnection<String, String> connect(AbstractRedisClient client) {
    return client instanceof RedisClusterClient cluster
        ? cluster.connect(StringCodec.UTF8)
        : ((RedisClient) client).connect(StringCodec.UTF8);
  }

  private static RedisClusterAsyncCommands<String, String> async(
      StatefulConnection<String, String> connection) {
    return connection instanceof StatefulRedisClusterConnection
        ? ((StatefulRedisClusterConnection<String, String>) connection).async()
        : ((StatefulRedisConnection<String, String>) connection).async();
  }
}
