package io.statefulroute.core.client;

import io.statefulroute.core.PodState;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.ServiceView;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * What a client driver sees of a service, read without linking anything (issue #12, the task list's
 * route-info driver): the pod it would place a new uid on, a pod's predicted load, whether a pod is
 * routable or available, every pod's state. Obtained from {@link ClientDriver#routeInfo()};
 * thread-safe; nothing blocks.
 *
 * <p>Every answer is the driver's own: the state view of its state cache (read, or waited for, like
 * {@link ClientDriver#computeLinkedPod} does on a miss), the pods its fast failover treats as down,
 * the pods its passive health ejected, and the predicted load of placement (published load plus
 * this client's placements since that publication). {@link #bestPod} takes the very candidates and
 * selector of placement, so it names the pod a placement would take now; it places nothing and
 * counts nothing in the predicted load. A selector that keeps state per call (round robin) moves on
 * at each {@code bestPod} as at each placement.
 *
 * <p>Matchmaking: pick the best room server with {@code bestPod}, then claim the room's uid for it
 * ({@link io.statefulroute.core.StatefulExecutor#claimLink}). Arguments are checked when a method
 * is called: a null, empty or too long namespace, service or uid, or a negative pod throws {@link
 * IllegalArgumentException} at once, before any I/O.
 */
public final class RouteInfo {
  /** The uid {@link #bestPod(String, String)} asks the selector about. */
  private static final String NO_UID = "";

  private final ServiceStateCache states;
  private final Placer placer;

  RouteInfo(ServiceStateCache states, Placer placer) {
    this.states = states;
    this.placer = placer;
  }

  /**
   * The pod this client would place a new uid on now, without linking one: for a uid-affine
   * selector (rendezvous, bounded-load hash) use {@link #bestPod(String, String, String)}.
   *
   * @return the pod; errors with {@link io.statefulroute.core.NoAvailablePodException} when no pod
   *     can take a new uid (as {@link ClientDriver#computeLinkedPod}), and with the state read's
   *     typed store errors
   */
  public Mono<Integer> bestPod(String namespace, String service) {
    return best(namespace, service, NO_UID);
  }

  /**
   * The pod this client would place {@code uid} on now, were it not linked, without linking it (an
   * existing link of the uid is not read).
   *
   * @return as {@link #bestPod(String, String)}
   */
  public Mono<Integer> bestPod(String namespace, String service, String uid) {
    return best(namespace, service, Args.uid(uid));
  }

  private Mono<Integer> best(String namespace, String service, String uid) {
    return view(namespace, service)
        .flatMap(
            view -> {
              PodState best = placer.best(view, uid);
              return best == null ? Mono.error(Placer.noPod(view)) : Mono.just(best.pod());
            });
  }

  /**
   * The pod's load score: its predicted load, the load placement ranks it on (the load it published
   * last plus this client's placements on it since), whether or not it takes new uids.
   *
   * @return the predicted load; empty when the state view has no record of the pod
   */
  public Mono<Long> loadScore(String namespace, String service, int pod) {
    int checked = Args.pod(pod);
    return view(namespace, service)
        .flatMap(
            view -> {
              PodState state = view.pods().get(checked);
              return state == null
                  ? Mono.<Long>empty()
                  : Mono.just(placer.predictedLoad(view, state));
            });
  }

  /**
   * Whether the pod is routable for this client: fresh and READY or DENY_NEW_CALL ({@link
   * ServiceView#isRoutable}) and not treated as down by the fast failover. The uids linked to it
   * keep routing to it.
   */
  public Mono<Boolean> isRoutable(String namespace, String service, int pod) {
    int checked = Args.pod(pod);
    return view(namespace, service).map(view -> placer.routable(view, checked));
  }

  /**
   * Whether the pod takes new uids for this client: fresh, READY and not cordoned ({@link
   * ServiceView#isAvailable}) and not treated as down by the fast failover. A pod passive health
   * ejected is still available (placement avoids it while another pod is not ejected; {@link
   * ClientDriver#isEjected}).
   */
  public Mono<Boolean> isAvailable(String namespace, String service, int pod) {
    int checked = Args.pod(pod);
    return view(namespace, service)
        .map(view -> view.isAvailable(checked) && placer.routable(view, checked));
  }

  /**
   * Every pod's state record in the state view, fresh or not, as published (the loads are the
   * published ones; {@link #loadScore} gives the predicted one).
   *
   * @return pod index to its state, sorted by pod index, unmodifiable (empty without records)
   */
  public Mono<Map<Integer, PodState>> serviceState(String namespace, String service) {
    return view(namespace, service).map(ServiceView::pods);
  }

  /** The state cache's view of the service (validated first: before any I/O). */
  private Mono<ServiceView> view(String namespace, String service) {
    Args.namespace(namespace);
    Args.service(service);
    return states.view(namespace, service).map(placer::current);
  }
}
