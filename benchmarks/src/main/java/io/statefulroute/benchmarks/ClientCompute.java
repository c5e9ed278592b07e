package io.statefulroute.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisClient;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.redis.RedisStatefulExecutor;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The client's {@code computeLinkedPod}: the cache-hit path against a raw Caffeine {@code
 * getIfPresent} of the same key shape (run with {@code -prof gc} for allocation per operation), and
 * the miss path (a new uid, cold cache: one set-if-absent script on Redis) against the executor's
 * raw set-if-absent.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ClientCompute -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class ClientCompute {
  static final String NS = "bench";
  static final String SVC = "game";
  static final int UIDS = 1 << 14;

  /** The key shape of the driver's cache, for the raw Caffeine baseline. */
  record Key(String namespace, String uid, String service) {}

  /** A reusable subscriber: takes the value of a Mono without allocating per call. */
  static final class Sink implements CoreSubscriber<Integer> {
    int value;

    @Override
    public void onSubscribe(Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Integer v) {
      value = v;
    }

    @Override
    public void onError(Throwable t) {
      throw new IllegalStateException(t);
    }

    @Override
    public void onComplete() {}
  }

  @State(Scope.Thread)
  public static class HitState {
    ClientDriver client;
    Cache<Key, Integer> raw;
    String[] uids;
    Key[] keys;
    int next;
    final Sink sink = new Sink();

    @Setup(Level.Trial)
    public void setUp() {
      // virtual time that never advances: published state stays fresh for the whole run
      VirtualTimeScheduler clock = VirtualTimeScheduler.create();
      clock.advanceTimeBy(Duration.ofDays(20_000));
      InMemoryStatefulExecutor store = InMemoryStatefulExecutor.withClock(clock);
      for (int p = 0; p < 8; p++) {
        store
            .publishState(
                NS, SVC, new PodStatus(p, 0, RoutingState.READY, "i" + p), Duration.ofMinutes(1))
            .block();
      }
      client =
          ClientDriver.create(
              store,
              ClientOptions.builder()
                  .stateCache(StateCacheOptions.builder().scheduler(clock).build())
                  .build());
      raw =
          Caffeine.newBuilder()
              .maximumSize(100_000)
              .expireAfterWrite(Duration.ofSeconds(30))
              .recordStats()
              .build();
      uids = new String[UIDS];
      keys = new Key[UIDS];
      for (int i = 0; i < UIDS; i++) {
        uids[i] = "player-" + i;
        keys[i] = new Key(NS, uids[i], SVC);
        raw.put(keys[i], client.computeLinkedPod(NS, uids[i], SVC).block());
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      client.close();
    }
  }

  /** The driver's cache-hit path: validation, Caffeine lookup, routable check, a Mono. */
  @Benchmark
  public int computeLinkedPod_hit(HitState s) {
    int i = s.next++ & (UIDS - 1);
    s.client.computeLinkedPod(NS, s.uids[i], SVC).subscribe(s.sink);
    return s.sink.value;
  }

  /** The baseline: a raw Caffeine lookup of an equivalent key (built per call, as the driver). */
  @Benchmark
  public Integer caffeine_getIfPresent(HitState s) {
    int i = s.next++ & (UIDS - 1);
    return s.raw.getIfPresent(new Key(NS, s.uids[i], SVC));
  }

  @State(Scope.Benchmark)
  public static class MissState {
    BenchmarkRedis redis;
    RedisClient lettuce;
    RedisStatefulExecutor executor;
    ClientDriver client;
    final AtomicLong counter = new AtomicLong();
    final String run = UUID.randomUUID().toString().substring(0, 8);

    @Setup(Level.Trial)
    public void setUp() {
      redis = BenchmarkRedis.start(BenchmarkRedis.STANDALONE);
      lettuce = RedisClient.create(redis.uris().get(0));
      executor = RedisStatefulExecutor.create(lettuce);
      for (int p = 0; p < 8; p++) {
        executor
            .publishState(
                NS, SVC, new PodStatus(p, 0, RoutingState.READY, "i" + p), Duration.ofMinutes(10))
            .block();
      }
      client =
          ClientDriver.create(
              executor,
              ClientOptions.builder()
                  .stateCache(
                      StateCacheOptions.builder()
                          .stateExpiry(Duration.ofMinutes(5))
                          .refreshPeriod(Duration.ofSeconds(1))
                          .build())
                  .leaseTtl(Duration.ofMinutes(10))
                  .build());
      client.computeLinkedPod(NS, "warm", SVC).block();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      client.close();
      executor.close();
      BenchmarkRedis.shutdown(lettuce);
      redis.close();
    }
  }

  /** The miss path: a uid never seen, so one state check and one set-if-absent on Redis. */
  @Benchmark
  public Integer computeLinkedPod_miss(MissState s) {
    return s.client.computeLinkedPod(NS, s.run + "-m" + s.counter.incrementAndGet(), SVC).block();
  }

  /** The baseline: the executor's set-if-absent of a new uid, nothing else. */
  @Benchmark
  public Integer executor_setLinkIfAbsent(MissState s) {
    return s.executor
        .setLinkIfAbsent(NS, s.run + "-r" + s.counter.incrementAndGet(), SVC, 1, 600)
        .block();
  }
}
