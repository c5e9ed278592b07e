package io.statefulroute.benchmarks.sim;

import io.lettuce.core.RedisClient;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.redis.RedisExecutorOptions;
import io.statefulroute.redis.RedisStatefulExecutor;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The store the simulated deployment shares: the embedded in-memory executor (on the simulation's
 * clock, through a {@link FaultInjectingExecutor}), or Redis through {@link RedisStatefulExecutor},
 * at a given URI or on a throwaway {@code redis-server} started here and stopped by {@link
 * #close()}.
 */
final class SimStore implements AutoCloseable {
  private final StatefulExecutor executor;
  private final String namespace;
  private final String description;
  private final RedisClient client;
  private final RedisProcess process;
  private final StoreFaults faults;

  private SimStore(
      StatefulExecutor executor,
      String namespace,
      String description,
      RedisClient client,
      RedisProcess process,
      StoreFaults faults) {
    this.executor = executor;
    this.namespace = namespace;
    this.description = description;
    this.client = client;
    this.process = process;
    this.faults = faults;
  }

  /**
   * Opens the store the options name.
   *
   * @throws IllegalStateException when {@code --redis local} finds no redis-server, or Redis cannot
   *     be reached
   */
  static SimStore open(SimulationOptions options, SimClock clock) {
    Optional<String> redis = options.redis();
    if (redis.isEmpty()) {
      Scheduler scheduler =
          clock.driverScheduler() != null ? clock.driverScheduler() : Schedulers.parallel();
      FaultInjectingExecutor memory =
          new FaultInjectingExecutor(
              () -> InMemoryStatefulExecutor.withClock(scheduler),
              scheduler,
              FaultInjectingExecutor.COMMAND_TIMEOUT);
      String time = clock.driverScheduler() != null ? "virtual time" : "real time";
      return new SimStore(
          memory, "sim", "embedded in-memory executor, " + time, null, null, memory);
    }
    RedisProcess process = null;
    String uri = redis.get();
    if (uri.equals(SimulationOptions.LOCAL_REDIS)) {
      // throws, saying what to install; DEBUG SLEEP stalls it in the store-fault phase
      process = RedisServers.startStandalone("--enable-debug-command", "yes");
      uri = process.uri();
    }
    RedisClient client = RedisClient.create(uri);
    try {
      RedisExecutorOptions redisOptions = RedisExecutorOptions.defaults();
      RedisStatefulExecutor executor = RedisStatefulExecutor.create(client, redisOptions);
      // a namespace of its own: runs never see each other's keys on a shared server
      String namespace = "sim-" + Long.toString(new SplittableRandom().nextLong() >>> 1, 36);
      StoreFaults faults =
          process != null
              ? new RedisFaults(process, redisOptions.commandTimeout())
              : StoreFaults.none(
                  "not injected: a Redis at a URI is not this run's to stall or "
                      + "restart (--redis local is)",
                  redisOptions.commandTimeout());
      return new SimStore(
          executor,
          namespace,
          "Redis at " + uri + (process != null ? " (throwaway redis-server)" : "") + ", real time",
          client,
          process,
          faults);
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      if (process != null) {
        process.close();
      }
      throw new IllegalStateException("cannot use Redis at " + uri + ": " + e.getMessage(), e);
    }
  }

  StatefulExecutor executor() {
    return executor;
  }

  /** The faults the store-fault phase injects into this store. */
  StoreFaults faults() {
    return faults;
  }

  /** The namespace of every key the run writes. */
  String namespace() {
    return namespace;
  }

  boolean isRedis() {
    return client != null;
  }

  String description() {
    return description;
  }

  @Override
  public void close() {
    executor.close();
    if (client != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    if (process != null) {
      process.close();
    }
  }
}
