package io.statefulroute.core.client;

import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.server.ReleaseSummary;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.state.ServiceView;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Operator control of the routes, on top of a client driver and its executor: cordon and uncordon a
 * pod, pin a uid to a pod, move a uid, and list and release a gone pod's persistent links. Not for
 * the request path. Every method checks its arguments when called, before any I/O ({@link
 * IllegalArgumentException}); nothing happens until subscription; store errors are the executor's
 * typed errors.
 *
 * <ul>
 *   <li>A <strong>cordon</strong> ({@link #cordon}) is stored beside the pods' records and read
 *       with them by every client ({@link StatefulExecutor#cordonPod}): the pod gets no new uids,
 *       as if it published {@code DENY_NEW_CALL}, whatever it publishes (a restart and READY
 *       included), while its existing links keep routing. This driver's view is refreshed at once;
 *       every other client sees it at its next state read, within its {@code refreshPeriod}.
 *   <li>A <strong>pin</strong> ({@link #pin}) is a persistent link set by the operator and marked
 *       as a pin, so that it can be shown apart from the application's persistent links and is not
 *       undone by the pod's own release ({@link StatefulExecutor#pinLink}).
 *   <li>A <strong>move</strong> ({@link #move}) is a compare-and-set that, unlike a client's, also
 *       moves persistent and pinned links ({@link StatefulExecutor#moveLink}).
 * </ul>
 */
public final class RouteOperator {
  private final StatefulExecutor executor;
  private final ClientDriver driver;

  private RouteOperator(StatefulExecutor executor, ClientDriver driver) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.driver = Objects.requireNonNull(driver, "driver");
  }

  /**
   * An operator working through {@code executor} (the one {@code driver} uses) and {@code driver}
   * (for the state view and the release of a gone pod's links).
   *
   * @throws NullPointerException when an argument is null
   */
  public static RouteOperator create(StatefulExecutor executor, ClientDriver driver) {
    return new RouteOperator(executor, driver);
  }

  /**
   * Cordons the pod (no new uids) for every client; refreshes this driver's view of the service. A
   * pod with no state record (a typo, or a pod long gone) is refused: before any I/O when this
   * driver has a view of the service cached, otherwise after reading the view and before anything
   * is written (the Mono fails with the same error). To cordon a pod ahead of its start, call
   * {@link StatefulExecutor#cordonPod}, which takes any pod index.
   *
   * @return {@code true} when it was not cordoned before
   * @throws IllegalArgumentException also when the cached view of the service has no record of the
   *     pod
   */
  public Mono<Boolean> cordon(String namespace, String service, int pod) {
    Args.namespace(namespace);
    Args.service(service);
    Args.pod(pod);
    ServiceView view = driver.states().peek(namespace, service);
    if (view != null) {
      if (!view.pods().containsKey(pod)) {
        throw unknownPod(view, pod);
      }
      return refreshed(namespace, service, executor.cordonPod(namespace, service, pod));
    }
    return driver
        .states()
        .refresh(namespace, service)
        .flatMap(
            read ->
                read.pods().containsKey(pod)
                    ? refreshed(namespace, service, executor.cordonPod(namespace, service, pod))
                    : Mono.error(unknownPod(read, pod)));
  }

  private static IllegalArgumentException unknownPod(ServiceView view, int pod) {
    return new IllegalArgumentException(
        "pod "
            + pod
            + " of service '"
            + view.service()
            + "' in namespace '"
            + view.namespace()
            + "' is unknown (no state record; known: "
            + view.pods().keySet()
            + ")");
  }

  /**
   * Lifts the pod's cordon; refreshes this driver's view of the service.
   *
   * @return {@code true} when it was cordoned
   */
  public Mono<Boolean> uncordon(String namespace, String service, int pod) {
    return refreshed(namespace, service, executor.uncordonPod(namespace, service, pod));
  }

  /**
   * Suspends ({@code true}) or resumes ({@code false}) the rebalancing of a service for every
   * client ({@link StatefulExecutor#suspendRebalancing}).
   *
   * @return whether the setting changed
   */
  public Mono<Boolean> suspendRebalancing(String namespace, String service, boolean suspended) {
    return executor.suspendRebalancing(namespace, service, suspended);
  }

  /** The reply of {@code call}, once this driver's view was re-read (a failed re-read is kept). */
  private Mono<Boolean> refreshed(String namespace, String service, Mono<Boolean> call) {
    return call.flatMap(
        changed ->
            driver
                .states()
                .refresh(namespace, service)
                .onErrorResume(e -> Mono.empty())
                .thenReturn(changed));
  }

  /**
   * Pins the uid to {@code pod}: a persistent link, marked as a pin.
   *
   * @return the pod linked before; empty when there was no link
   */
  public Mono<Integer> pin(String namespace, String uid, String service, int pod) {
    return executor.pinLink(namespace, uid, service, pod);
  }

  /**
   * Removes the uid's pin; the link stays, as a plain persistent link.
   *
   * @return {@code true} when a pin was in force
   */
  public Mono<Boolean> unpin(String namespace, String uid, String service) {
    return executor.unpinLink(namespace, uid, service);
  }

  /**
   * The uid's pin.
   *
   * @return the pinned pod; empty when the uid is not pinned
   */
  public Mono<Integer> pinnedPod(String namespace, String uid, String service) {
    return executor.getLinkPin(namespace, uid, service);
  }

  /**
   * Moves the uid from {@code expectedPod} to {@code newPod} (compare-and-set), persistent, pinned
   * or temporary: the link keeps its kind and remaining life.
   *
   * @return moved ({@link ReplaceResult#replaced()}), or the pod the link names instead; empty when
   *     the uid has no link
   */
  public Mono<ReplaceResult> move(
      String namespace, String uid, String service, int expectedPod, int newPod) {
    return executor.moveLink(namespace, uid, service, expectedPod, newPod);
  }

  /**
   * The uids whose persistent link (pinned or not) names the pod: a walk of the whole key space
   * ({@link StatefulExecutor#listPersistentLinks}).
   */
  public Flux<String> listPersistentLinks(String namespace, String service, int pod) {
    return executor.listPersistentLinks(namespace, service, pod);
  }

  /**
   * Releases the persistent links of a pod that is gone ({@link
   * ClientDriver#releasePersistentLinks}): refused with {@link
   * io.statefulroute.core.PodRoutableException} while the pod is routable; pinned links are left
   * alone (counted as not owned).
   */
  public Mono<ReleaseSummary> releasePersistentLinks(
      String namespace, String service, int pod, Duration delay) {
    return driver.releasePersistentLinks(namespace, service, pod, delay);
  }

  @Override
  public String toString() {
    return "RouteOperator{executor=" + executor + "}";
  }
}
