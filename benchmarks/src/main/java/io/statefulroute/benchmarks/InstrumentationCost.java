package io.statefulroute.benchmarks;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.placement.PodSelectors;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.observability.StatefulRouteObservability;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The cost of the observability module on the client's cache-hit path, in one run: {@code none} (no
 * listener, the driver as {@link ClientCompute} measures it), {@code metrics} (the module's
 * listener and cache binding on a Prometheus registry: the production setup) and {@code tracing}
 * (metrics plus the Observation API with a handler that does nothing: the cost of the observations
 * themselves, without any tracer's own cost). Target: {@code metrics} at least 0.90x {@code none}.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar InstrumentationCost -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 4)
@Fork(1)
public class InstrumentationCost {
  static final String NS = "bench";
  static final String SVC = "game";
  static final int UIDS = 1 << 14;

  /** A driver with every uid cached, instrumented as {@code mode} says. */
  abstract static class HitState {
    ClientDriver client;
    String[] uids;
    int next;
    final ClientCompute.Sink sink = new ClientCompute.Sink();

    void setUp(String mode) {
      VirtualTimeScheduler clock = VirtualTimeScheduler.create(); // state stays fresh
      clock.advanceTimeBy(Duration.ofDays(20_000));
      InMemoryStatefulExecutor store = InMemoryStatefulExecutor.withClock(clock);
      for (int p = 0; p < 8; p++) {
        store
            .publishState(
                NS, SVC, new PodStatus(p, 0, RoutingState.READY, "i" + p), Duration.ofMinutes(1))
            .block();
      }
      ClientOptions.Builder options = ClientOptions.builder();
      StateCacheOptions.Builder states = StateCacheOptions.builder().scheduler(clock);
      StatefulRouteObservability obs = null;
      if (!mode.equals("none")) {
        StatefulRouteObservability.Builder b =
            StatefulRouteObservability.builder()
                .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        if (mode.equals("tracing")) {
          ObservationRegistry observations = ObservationRegistry.create();
          observations.observationConfig().observationHandler(new DoNothing());
          b.observationRegistry(observations);
        }
        obs = b.build();
        options
            .listener(obs.clientListener())
            .selector(obs.selector(PodSelectors::powerOfTwoChoices));
        states.listener(obs.stateCacheListener());
      }
      ClientDriver driver =
          ClientDriver.create(
              obs == null ? store : obs.executor(store),
              options.stateCache(states.build()).build());
      client = obs == null ? driver : obs.clientDriver(driver);
      uids = new String[UIDS];
      for (int i = 0; i < UIDS; i++) {
        uids[i] = "player-" + i;
        client.computeLinkedPod(NS, uids[i], SVC).block();
      }
    }

    int hit() {
      int i = next++ & (UIDS - 1);
      client.computeLinkedPod(NS, uids[i], SVC).subscribe(sink);
      return sink.value;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      client.close();
    }
  }

  @State(Scope.Thread)
  public static class Plain extends HitState {
    @Setup(Level.Trial)
    public void setUp() {
      setUp("none");
    }
  }

  @State(Scope.Thread)
  public static class Metrics extends HitState {
    @Setup(Level.Trial)
    public void setUp() {
      setUp("metrics");
    }
  }

  @State(Scope.Thread)
  public static class Traced extends HitState {
    @Setup(Level.Trial)
    public void setUp() {
      setUp("tracing");
    }
  }

  /** A handler that takes every observation and does nothing with it. */
  static final class DoNothing implements ObservationHandler<Observation.Context> {
    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }

  /** Alone, one thread: no instrumentation. */
  @Benchmark
  public int solo_none(Plain s) {
    return s.hit();
  }

  /** Alone, one thread: the module's meters. */
  @Benchmark
  public int solo_metrics(Metrics s) {
    return s.hit();
  }

  /** Alone, one thread: meters and observations (a handler that does nothing). */
  @Benchmark
  public int solo_tracing(Traced s) {
    return s.hit();
  }
}
