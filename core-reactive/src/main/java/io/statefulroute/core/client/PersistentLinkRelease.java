package io.statefulroute.core.client;

import io.statefulroute.core.PodRoutableException;
import io.statefulroute.core.PodState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.server.ReleaseSummary;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.ServiceView;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Releases the persistent links of a pod that is gone (see {@link
 * ClientDriver#releasePersistentLinks}): lists them, then removes each only if it still points at
 * that pod, refusing a pod the state view shows routable, before anything and before each removal.
 */
final class PersistentLinkRelease {
  /** Removals a release keeps in flight (documented on the interface). */
  static final int RELEASE_CONCURRENCY = 64;

  private final StatefulExecutor executor;
  private final ServiceStateCache states;

  PersistentLinkRelease(StatefulExecutor executor, ServiceStateCache states) {
    this.executor = executor;
    this.states = states;
  }

  Mono<ReleaseSummary> release(String namespace, String service, int pod, Duration delay) {
    Args.namespace(namespace);
    Args.service(service);
    Args.pod(pod);
    Args.delayMillis(delay);
    return states
        .refresh(namespace, service)
        .flatMapMany(
            view ->
                refuseRoutable(view, pod)
                    .thenMany(executor.listPersistentLinks(namespace, service, pod)))
        .flatMap(uid -> releaseOne(namespace, uid, service, pod, delay), RELEASE_CONCURRENCY)
        .reduceWith(
            () -> new long[3],
            (counts, outcome) -> {
              counts[outcome]++;
              return counts;
            })
        .map(counts -> new ReleaseSummary(counts[0], counts[1], counts[2]));
  }

  /** One listed uid: 0 removed, 1 not (or no longer) linked to the pod, 2 the removal failed. */
  private Mono<Integer> releaseOne(
      String namespace, String uid, String service, int pod, Duration delay) {
    return Mono.defer(
        () -> {
          ServiceView now = states.peek(namespace, service);
          return (now == null ? Mono.<Void>empty() : refuseRoutable(now, pod))
              .then(
                  executor
                      .removeLinkIfOwner(namespace, uid, service, pod, delay)
                      .map(removed -> removed ? 0 : 1)
                      .onErrorResume(
                          e -> !(e instanceof IllegalArgumentException), e -> Mono.just(2)));
        });
  }

  /** Errors with PodRoutableException when {@code pod} is routable in {@code view}. */
  private static Mono<Void> refuseRoutable(ServiceView view, int pod) {
    if (!view.isRoutable(pod)) {
      return Mono.empty();
    }
    PodState routable =
        Objects.requireNonNull(
            view.pods().get(pod), "a pod routable in a view has its record in the view");
    return Mono.error(
        new PodRoutableException(view.namespace(), view.service(), pod, routable.state()));
  }
}
