package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerListener;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.core.server.ShedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One simulated pod process: a {@link ServerDriver} publishing its load, and the sessions of the
 * users it served. Its load is the number of sessions active within {@link #SESSION_IDLE}. It
 * serves a request only for a uid it owns (the store links the uid to it); any other request is a
 * misroute. A crashed pod serves nothing and publishes nothing until it restarts.
 */
final class SimPod {
  /** A session counts towards the load while its user made a request this recently. */
  static final Duration SESSION_IDLE = Duration.ofSeconds(10);

  /** What serving one request found. */
  enum Served {
    OWNED,
    MISROUTED
  }

  private final int index;
  private final String namespace;
  private final String service;
  private final StatefulExecutor store;
  private final SimClock clock;
  private final ServerListener listener;
  private final Map<String, Long> sessions = new ConcurrentHashMap<>();
  private final LongAdder shedAsked = new LongAdder();
  private final LongAdder shedReleased = new LongAdder();
  private volatile PodConnection connection;
  private volatile ServerDriver driver;
  private volatile boolean up;
  private int generation;

  /**
   * @param listener the server driver's listener (the publication meters)
   */
  SimPod(
      int index,
      String namespace,
      String service,
      StatefulExecutor store,
      SimClock clock,
      ServerListener listener) {
    this.index = index;
    this.namespace = namespace;
    this.service = service;
    this.store = store;
    this.clock = clock;
    this.listener = listener;
  }

  int index() {
    return index;
  }

  boolean isUp() {
    return up;
  }

  /**
   * Starts the process (again after a crash: a StatefulSet restarts the pod with the same index): a
   * new connection, a new driver with a new incarnation, READY, no sessions.
   *
   * @return completes after the first publication (the driver keeps publishing either way)
   */
  Mono<Void> start() {
    if (up) {
      throw new IllegalStateException("pod " + index + " is running");
    }
    generation++;
    connection = new PodConnection(store);
    ServerOptions.Builder options =
        ServerOptions.builder(namespace, service, index)
            .incarnation("pod-" + index + "-gen-" + generation)
            .loadSupplier(this::load)
            .listener(listener);
    if (clock.driverScheduler() != null) {
      options.scheduler(clock.driverScheduler());
    }
    driver = ServerDriver.create(connection, options.build());
    driver.shedRequests().subscribe(this::shed);
    up = true;
    Mono<Void> published = driver.start().cache();
    published.subscribe(v -> {}, e -> {}); // the driver keeps trying on its own
    return published;
  }

  void setRoutingState(RoutingState state) {
    driver.setRoutingState(state);
  }

  /** The routing state it publishes, or {@code null} when not running. */
  RoutingState routingState() {
    return up ? driver.routingState() : null;
  }

  /** The process dies: no more publications (no SHUTDOWN either), sessions lost. */
  void crash() {
    up = false;
    connection.cut();
    driver.close(); // its last publications fail on the cut connection: the timer ends
    sessions.clear();
  }

  /** Stops cleanly at the end of the run (DENY_NEW_CALL, SHUTDOWN). */
  Mono<Void> stop() {
    return up ? driver.stop() : Mono.empty();
  }

  /**
   * Serves a request of {@code uid}: checks in the store that the uid is linked to this pod (a real
   * pod would find the user's state, or not) and refreshes the user's session.
   *
   * @return OWNED or MISROUTED; errors with {@link PodDownException} when the pod is down
   */
  Mono<Served> serve(String uid) {
    PodConnection c = connection;
    if (!up) {
      return Mono.error(new PodDownException(index));
    }
    return c.getLink(namespace, uid, service)
        .map(owner -> owner == index)
        .defaultIfEmpty(false)
        .map(
            owned -> {
              if (!owned) {
                return Served.MISROUTED;
              }
              sessions.put(uid, clock.nowMillis());
              return Served.OWNED;
            });
  }

  /**
   * A rebalancer asked this pod to shed: it releases the links of the users it served most recently
   * (they come back soon, so the load moves soon), between two of their requests, and drops their
   * sessions (their state leaves with them).
   */
  private void shed(ShedRequest request) {
    shedAsked.add(request.links());
    List<String> chosen =
        sessions.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(request.links())
            .map(Map.Entry::getKey)
            .toList();
    chosen.forEach(sessions::remove);
    driver
        .releaseLinks(Flux.fromIterable(chosen))
        .subscribe(summary -> shedReleased.add(summary.released()), e -> {});
  }

  /** Links asked of this pod by rebalancers, in all its runs. */
  long shedAsked() {
    return shedAsked.sum();
  }

  /** Links this pod released for rebalancers (the rebalancing moves), in all its runs. */
  long shedReleased() {
    return shedReleased.sum();
  }

  /** A simulated service time that grows with the load (fed to the latency-aware strategies). */
  Duration serviceTime() {
    return Duration.ofNanos(500_000L + 5_000L * sessions.size());
  }

  /** Sessions active within {@link #SESSION_IDLE}; older ones are dropped. */
  int load() {
    long cutoff = clock.nowMillis() - SESSION_IDLE.toMillis();
    sessions.values().removeIf(seen -> seen < cutoff);
    return sessions.size();
  }
}
