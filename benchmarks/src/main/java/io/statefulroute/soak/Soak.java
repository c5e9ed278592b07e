package io.statefulroute.soak;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.redis.RedisExecutorOptions;
import io.statefulroute.redis.RedisStatefulExecutor;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A bounded soak on real Redis: {@code clients} gateways compute the pods of uids drawn from a
 * fixed pool at a steady rate while {@code pods} server pods publish their state and, one after
 * another, drain, shut down and return as a new incarnation (a rolling restart). At the end, with
 * every pod back and ready, each gateway answers for every uid of the pool and the answers are
 * compared with the links Redis holds. Heap (after a GC) and Redis {@code used_memory} are sampled
 * every 5 s.
 *
 * <pre>
 *   mvn -q -B -pl benchmarks -am package -DskipTests
 *   java -cp benchmarks/target/benchmarks.jar io.statefulroute.soak.Soak [seconds] [drain]
 * </pre>
 *
 * With {@code drain}, pods drain and return to READY instead of restarting.
 *
 * <p>A throwaway local {@code redis-server} is started unless {@code REDIS_URL} names one (then the
 * soak works in a namespace of its own and leaves its keys, which expire or are pruned, behind).
 * Exits 0 when the run passed ({@link SoakReport#passed()}), 1 otherwise.
 */
public final class Soak {
  private static final String SVC = "game";
  private static final Duration PERIOD = Duration.ofMillis(500);
  private static final Duration EXPIRY = Duration.ofSeconds(2);
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);

  private Soak() {}

  public static void main(String[] args) {
    SoakConfig standard = SoakConfig.standard();
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 60;
    boolean restarts = args.length < 2 || !args[1].equals("drain");
    SoakConfig config =
        new SoakConfig(
            Duration.ofSeconds(seconds),
            standard.clients(),
            standard.pods(),
            standard.uids(),
            standard.callsPerSecond(),
            standard.churnPeriod(),
            restarts,
            Duration.ofSeconds(seconds / 3));
    System.out.println("soak: " + config);
    SoakReport report = run(config);
    System.out.println(report);
    System.exit(report.passed() ? 0 : 1);
  }

  /** Runs one soak; blocks for about {@code duration} plus a few seconds. */
  public static SoakReport run(SoakConfig config) {
    String named = System.getProperty("redis.url", System.getenv("REDIS_URL"));
    RedisProcess owned = named == null ? RedisServers.startStandalone() : null;
    RedisClient client = RedisClient.create(named != null ? named : owned.uri());
    List<RedisStatefulExecutor> executors = new ArrayList<>();
    List<ClientDriver> gateways = new ArrayList<>();
    AtomicReferenceArray<ServerDriver> pods = new AtomicReferenceArray<>(config.pods());
    try (StatefulRedisConnection<String, String> admin = client.connect()) {
      String ns = "soak-" + RedisServers.uniqueNamespace();
      RedisExecutorOptions options =
          RedisExecutorOptions.builder().commandTimeout(Duration.ofSeconds(2)).build();
      List<RedisStatefulExecutor> podExecutors = new ArrayList<>();
      for (int pod = 0; pod < config.pods(); pod++) {
        RedisStatefulExecutor ex = RedisStatefulExecutor.create(client, options);
        executors.add(ex);
        podExecutors.add(ex);
        pods.set(pod, startPod(ex, ns, pod));
      }
      for (int i = 0; i < config.clients(); i++) {
        RedisStatefulExecutor ex = RedisStatefulExecutor.create(client, options);
        executors.add(ex);
        gateways.add(
            ClientDriver.create(
                ex,
                ClientOptions.builder()
                    .stateCache(
                        StateCacheOptions.builder()
                            .refreshPeriod(PERIOD)
                            .stateExpiry(EXPIRY)
                            .build())
                    .leaseTtl(Duration.ofSeconds(60))
                    .build()));
      }
      List<String> uids =
          IntStream.range(0, config.uids()).mapToObj(i -> "u" + i).collect(Collectors.toList());

      Map<String, LongAdder> calls = new ConcurrentHashMap<>();
      LongAdder dropped = new LongAdder();
      long tickNanos = 1_000_000_000L / config.callsPerSecond();
      List<Disposable> load = new ArrayList<>();
      for (ClientDriver gateway : gateways) {
        load.add(
            Flux.interval(Duration.ofNanos(tickNanos))
                .onBackpressureDrop(t -> dropped.increment())
                .flatMap(
                    t ->
                        gateway
                            .computeLinkedPod(
                                ns, uids.get(ThreadLocalRandom.current().nextInt(uids.size())), SVC)
                            .timeout(Duration.ofSeconds(10))
                            .map(pod -> "ok")
                            .onErrorResume(e -> Mono.just(e.getClass().getSimpleName())),
                    256)
                .subscribe(
                    outcome -> calls.computeIfAbsent(outcome, k -> new LongAdder()).increment()));
      }

      AtomicBoolean churning = new AtomicBoolean(true);
      AtomicInteger restarts = new AtomicInteger();
      Thread churn =
          new Thread(
              () -> {
                int next = 0;
                while (churning.get()) {
                  sleep(config.churnPeriod());
                  if (!churning.get()) {
                    break;
                  }
                  int pod = next++ % config.pods();
                  if (config.restarts()) {
                    pods.get(pod)
                        .stop()
                        .onErrorResume(e -> Mono.empty())
                        .block(Duration.ofSeconds(10));
                    sleep(Duration.ofSeconds(1));
                    pods.set(pod, startPod(podExecutors.get(pod), ns, pod));
                  } else {
                    pods.get(pod).setRoutingState(RoutingState.DENY_NEW_CALL);
                    sleep(Duration.ofSeconds(1));
                    pods.get(pod).setRoutingState(RoutingState.READY);
                  }
                  restarts.incrementAndGet();
                }
              },
              "soak-churn");
      churn.start();

      List<Double> heap = new ArrayList<>();
      List<Double> redisMemory = new ArrayList<>();
      long start = System.nanoTime();
      int samplesAfterWarmUp = -1;
      while (System.nanoTime() - start < config.duration().toNanos()) {
        sleep(SAMPLE_EVERY);
        if (samplesAfterWarmUp < 0 && System.nanoTime() - start >= config.warmUp().toNanos()) {
          samplesAfterWarmUp = heap.size();
        }
        System.gc();
        heap.add(mib(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()));
        redisMemory.add(mib(Long.parseLong(infoField(admin.sync().info("memory"), "used_memory"))));
      }
      load.forEach(Disposable::dispose);
      churning.set(false);
      join(churn);

      // every pod back and ready, every view fresh: now each gateway answers for every uid
      sleep(EXPIRY.plus(PERIOD.multipliedBy(2)));
      List<String> examples = Collections.synchronizedList(new ArrayList<>());
      long divergent = 0;
      Map<String, Integer> stored;
      try (RedisStatefulExecutor reader =
          RedisStatefulExecutor.create(
              client,
              RedisExecutorOptions.builder().commandTimeout(Duration.ofSeconds(30)).build())) {
        List<Map<String, Integer>> answers = new ArrayList<>();
        for (ClientDriver gateway : gateways) {
          answers.add(
              Flux.fromIterable(uids)
                  .flatMap(
                      u ->
                          gateway
                              .computeLinkedPod(ns, u, SVC)
                              .map(p -> Map.entry(u, p))
                              .onErrorResume(
                                  e -> {
                                    calls
                                        .computeIfAbsent(
                                            "check " + e.getClass().getSimpleName(),
                                            k -> new LongAdder())
                                        .increment();
                                    return Mono.empty();
                                  }),
                      64)
                  .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                  .block(Duration.ofMinutes(2)));
        }
        stored = reader.batchGetLinks(ns, uids, SVC).block(Duration.ofMinutes(1));
        for (int c = 0; c < answers.size(); c++) {
          for (String u : uids) {
            Integer answer = answers.get(c).get(u);
            if (answer == null || !answer.equals(stored.get(u))) {
              divergent++;
              if (examples.size() < 5) {
                examples.add("client " + c + "/" + u + ": " + answer + " vs " + stored.get(u));
              }
            }
          }
        }
      }
      Map<String, Long> outcomes = new TreeMap<>();
      calls.forEach((k, v) -> outcomes.put(k, v.sum()));
      return new SoakReport(
          outcomes,
          dropped.sum(),
          restarts.get(),
          (long) uids.size() * gateways.size(),
          divergent,
          List.copyOf(examples),
          heap,
          redisMemory,
          Math.max(0, samplesAfterWarmUp));
    } finally {
      gateways.forEach(ClientDriver::close);
      Flux.range(0, pods.length())
          .flatMap(i -> pods.get(i).stop().onErrorResume(e -> Mono.empty()))
          .blockLast(Duration.ofSeconds(30));
      executors.forEach(RedisStatefulExecutor::close);
      client.shutdown();
      if (owned != null) {
        owned.close();
      }
    }
  }

  private static ServerDriver startPod(RedisStatefulExecutor executor, String ns, int pod) {
    ServerDriver driver =
        ServerDriver.create(
            executor,
            ServerOptions.builder(ns, SVC, pod)
                .publishPeriod(PERIOD)
                .stateExpiry(EXPIRY)
                .drainTimeout(Duration.ofSeconds(1))
                .shutdownTimeout(Duration.ofSeconds(2))
                .build());
    driver.start().block(Duration.ofSeconds(10));
    return driver;
  }

  private static String infoField(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    throw new IllegalStateException("INFO has no " + name);
  }

  private static double mib(long bytes) {
    return Math.round(bytes / 1024.0 / 1024.0 * 10) / 10.0;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void join(Thread t) {
    try {
      t.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
