package io.statefulroute.core.server;

import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The server side of stateful routing (see docs/architecture.md, "The server driver"): one per pod
 * of a stateful service. Publishes the pod's load and routing state, and manages the links of the
 * uids it hosts. Thread-safe; nothing blocks.
 *
 * <h2>Publication</h2>
 *
 * {@link #start()} publishes at once, then every {@code publishPeriod}; a change of load or routing
 * state publishes at once (conflated: the latest state wins, never a queue of stale writes); timer
 * ticks that find a publication in flight are dropped; a failed publication is retried with bounded
 * backoff, counted, and never ends the loop. A load supplier (or queue length supplier) that
 * throws, or a load supplier that returns a negative load, is counted ({@link
 * #loadSupplierFailures()}), reported to {@link ServerListener#loadSupplierFailed} and does not end
 * the loop either: that publication carries the last good load, or {@link #DEFAULT_LOAD} when there
 * was none yet.
 *
 * <h2>Links</h2>
 *
 * Links set by the server are persistent (no TTL): the pod owns the uid until it releases it. All
 * link methods act on this pod's namespace and service.
 */
public interface ServerDriver extends AutoCloseable {
  /** The load published before any load was computed without a supplier failure: 0. */
  int DEFAULT_LOAD = 0;

  static ServerDriver create(StatefulExecutor executor, ServerOptions options) {
    return new DefaultServerDriver(executor, options);
  }

  ServerOptions options();

  /**
   * Starts publishing.
   *
   * @return completes after the first publication succeeded (also when the load supplier failed: it
   *     carries {@link #DEFAULT_LOAD} then); errors with the store's error when the first
   *     publication failed all its retries (the loop keeps trying); errors with {@link
   *     IllegalStateException} when already started or stopped
   */
  Mono<Void> start();

  /**
   * Stops: publishes DENY_NEW_CALL, waits for the drain (bounded by {@code drainTimeout}), cancels
   * the timer, publishes SHUTDOWN (each publication bounded by {@code shutdownTimeout}).
   *
   * @return completes when done; a publication that timed out or failed is counted and does not
   *     fail the stop. Idempotent: later calls complete at once.
   */
  Mono<Void> stop();

  /** Sets the base load ({@code >= 0}); publishes at once when it changed. */
  void setLoad(int load);

  /**
   * The load as it will be published (weighted with the queue length, clamped at 0). Samples the
   * suppliers: when one throws or the load supplier returns a negative load, the failure is counted
   * and reported (as for a publication) and the last good load is returned ({@link #DEFAULT_LOAD}
   * when there was none yet).
   */
  int load();

  /** Sets the routing state; publishes at once when it changed. */
  void setRoutingState(RoutingState state);

  RoutingState routingState();

  /** What the next publication will carry. */
  PodStatus status();

  /**
   * Links the uid to this pod persistently, unconditionally.
   *
   * @return the previous pod; empty when there was none
   */
  Mono<Integer> setLinkedPod(String uid);

  /**
   * Claims the uid for this pod persistently; refused when another pod holds a persistent link.
   *
   * @return whether claimed, the current owner and the previous pod
   */
  Mono<ClaimResult> trySetLinkedPod(String uid);

  /**
   * Removes the uid's link, after the configured {@code removeDelay} (the link keeps answering
   * until then, so in-flight requests still reach this pod).
   *
   * @return the pod the link pointed at; empty when there was none
   */
  Mono<Integer> removeLinkedPod(String uid);

  /**
   * Removes the uid's link only when it points at {@code pod}, after {@code delay}.
   *
   * @return {@code true} when removed
   */
  Mono<Boolean> removeLinkedPodWithId(String uid, int pod, Duration delay);

  /**
   * Releases many uids hosted by this pod: each link is removed only when it points at this pod
   * (after {@code removeDelay}). Backpressure-aware: uids are requested in bounded batches ({@code
   * bufferTimeout}), each batch's removals are pipelined, a bounded number of batches is in flight.
   *
   * @return the summary when {@code uids} completes; errors with {@link IllegalArgumentException}
   *     on an invalid uid, or with {@code uids}' error
   */
  Mono<ReleaseSummary> releaseLinks(Flux<String> uids);

  /**
   * Stores the service's workload state (e.g. {@code ready}). It is per service, not per pod: by
   * convention the pod with index 0 (or an operator) writes it; any pod may.
   */
  Mono<Void> setWorkloadState(String value);

  /**
   * The rebalancer's requests to this pod to shed links ({@link ShedRequest}; see
   * docs/rebalancing.md). Hot: while at least one subscriber listens, the driver takes the pod's
   * pending request from the store after each successful publication and emits it; while nobody
   * listens nothing is taken and requests lapse. Completes when the driver has stopped. The
   * application answers a request by choosing idle uids and releasing them with {@link
   * #releaseLinks}; do only cheap work on the emitting thread.
   */
  Flux<ShedRequest> shedRequests();

  /** Shed requests taken from the store since creation. */
  long shedRequestsReceived();

  /** Successful publications since start. */
  long publications();

  /** Failed publication attempts (each retry counts) since start. */
  long publicationFailures();

  /**
   * Failed load samples since creation: the load or queue length supplier threw, or the load
   * supplier returned a negative load (the last good load was used each time).
   */
  long loadSupplierFailures();

  /** Stops without waiting (fire-and-forget {@link #stop()}). */
  @Override
  void close();
}
