package io.statefulroute.core.client;

import io.statefulroute.core.LinkLease;
import io.statefulroute.core.NoAvailablePodException;
import io.statefulroute.core.OwnerUnavailableException;
import io.statefulroute.core.PodState;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.StatefulRouteException;
import io.statefulroute.core.placement.PassiveHealth;
import io.statefulroute.core.placement.PodSelector;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.ServiceView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Where a uid goes when the cache cannot answer: one set-if-absent of a chosen candidate (the
 * stored link wins), and a compare-and-set off a pod that is no longer routable. Candidates are the
 * available pods of the current state view minus the pods passive health ejected, carrying their
 * {@link PlacementLoad predicted load} (published load plus this client's placements since), and
 * narrowed to the good band on that predicted load.
 */
final class Placer {
  /** Bounded retries of the compare-and-set when other clients keep moving the link. */
  private static final int MAX_RELINK_ATTEMPTS = 3;

  private final StatefulExecutor executor;
  private final ServiceStateCache states;
  private final PodSelector selector;
  private final PassiveHealth health;
  private final FastFailover failover;
  private final ClientListener listener;
  private final PlacementLoad load;
  private final long leaseSeconds;

  /** Takes a placement's lease to its pod, capping the cache entry at the link's end. */
  private final BiFunction<LinkKey, Mono<LinkLease>, Mono<Integer>> capped;

  Placer(
      StatefulExecutor executor,
      ServiceStateCache states,
      PodSelector selector,
      PassiveHealth health,
      FastFailover failover,
      ClientListener listener,
      PlacementLoad load,
      long leaseSeconds,
      BiFunction<LinkKey, Mono<LinkLease>, Mono<Integer>> capped) {
    this.executor = executor;
    this.states = states;
    this.selector = selector;
    this.health = health;
    this.failover = failover;
    this.listener = listener;
    this.load = load;
    this.leaseSeconds = leaseSeconds;
    this.capped = capped;
  }

  /**
   * The state cache's view now (a read may have answered during the caller's round trip), or {@code
   * fallback} when the service is no longer watched. Every decision after a round trip takes its
   * pods from here.
   */
  ServiceView current(ServiceView fallback) {
    ServiceView v = states.peek(fallback.namespace(), fallback.service());
    return v != null ? v : fallback;
  }

  /** Routable in {@code view} and not treated as down by the fast failover. */
  boolean routable(ServiceView view, int pod) {
    return failover.routable(view, pod);
  }

  /** One script call on a miss: set-if-absent of a chosen candidate. */
  Mono<Integer> place(LinkKey key, ServiceView view) {
    List<PodState> candidates = candidates(view, -1);
    if (candidates.isEmpty()) {
      return existingLinkOnly(key, view);
    }
    PodState candidate = selector.select(key.namespace(), key.service(), key.uid(), candidates);
    listener.placed(key.namespace(), key.service(), selector.name(), candidate.pod());
    // counted before the call: concurrent placements see it at once
    long token = load.placed(key.namespace(), key.service(), candidate.pod());
    return capped
        .apply(
            key,
            executor.setLinkIfAbsentLease(
                key.namespace(), key.uid(), key.service(), candidate.pod(), leaseSeconds))
        .doOnEach(
            s -> {
              Integer linked = s.get();
              if (s.isOnError() || (linked != null && linked != candidate.pod())) {
                // the uid was linked already (its pod's load has it), or no link was made
                load.undo(key.namespace(), key.service(), candidate.pod(), token);
              }
            })
        .flatMap(
            pod -> {
              ServiceView now = current(view);
              return routable(now, pod) ? Mono.just(pod) : relink(key, now, pod, 0);
            });
  }

  /**
   * No pod can take a new link in {@code view}: only an existing link to a routable pod can answer.
   * When a state read answered during the lookup and the current view has candidates, the uid is
   * placed (or its dead link moved) on that view instead of failing.
   */
  private Mono<Integer> existingLinkOnly(LinkKey key, ServiceView view) {
    return executor
        .getLink(key.namespace(), key.uid(), key.service())
        .flatMap(
            pod -> {
              ServiceView now = current(view);
              if (routable(now, pod)) {
                return Mono.just(pod);
              }
              if (!candidates(now, pod).isEmpty()) {
                return relink(key, now, pod, 0);
              }
              return ownerCheck(key).then(Mono.<Integer>error(() -> noPod(current(view))));
            })
        .switchIfEmpty(
            Mono.defer(
                () -> {
                  ServiceView now = current(view);
                  return candidates(now, -1).isEmpty()
                      ? Mono.error(noPod(now))
                      : place(key, now); // has a candidate: never back here
                }));
  }

  /** Errors with OwnerUnavailableException when the link is persistent; empty otherwise. */
  private Mono<Void> ownerCheck(LinkKey key) {
    return executor
        .getLinkIfPersistent(key.namespace(), key.uid(), key.service())
        .flatMap(
            owner ->
                Mono.<Void>error(
                    new OwnerUnavailableException(key.namespace(), key.service(), owner)));
  }

  /**
   * The link points at {@code deadPod}, which is not routable. A temporary link is moved with
   * compare-and-set, so every client that finds the same dead pod converges on the one pod the
   * first of them chose. The compare-and-set itself refuses a persistent link (a pod may claim the
   * uid at any moment, so a check in an earlier call would race): a persistent owner answers when
   * routable and fails with OwnerUnavailableException otherwise. Every decision after a round trip
   * reads the current view.
   */
  private Mono<Integer> relink(LinkKey key, ServiceView view, int deadPod, int attempt) {
    return Mono.defer(
        () -> {
          List<PodState> candidates = candidates(current(view), deadPod);
          if (candidates.isEmpty()) {
            return ownerCheck(key).then(Mono.<Integer>error(() -> noPod(current(view))));
          }
          PodState next = selector.select(key.namespace(), key.service(), key.uid(), candidates);
          listener.placed(key.namespace(), key.service(), selector.name(), next.pod());
          long token = load.placed(key.namespace(), key.service(), next.pod());
          return executor
              .replaceLink(
                  key.namespace(), key.uid(), key.service(), deadPod, next.pod(), leaseSeconds)
              .doOnEach(
                  s -> {
                    ReplaceResult result =
                        s.get(); // the value of an onNext signal; null for the others
                    if (s.isOnNext() && result != null && !result.persistent()) {
                      ComputeRecorder.markRelinked(s.getContextView());
                    }
                    if (s.isOnError() || (result != null && !result.replaced())) {
                      load.undo(key.namespace(), key.service(), next.pod(), token);
                    }
                  })
              .flatMap(
                  r -> {
                    if (r.replaced() || routable(current(view), r.currentPod())) {
                      return Mono.just(r.currentPod());
                    }
                    if (r.persistent()) {
                      return Mono.error(
                          new OwnerUnavailableException(
                              key.namespace(), key.service(), r.currentPod()));
                    }
                    if (attempt + 1 >= MAX_RELINK_ATTEMPTS) {
                      return Mono.error(
                          new StatefulRouteException(
                              "link of service '"
                                  + key.service()
                                  + "' kept moving to unroutable pods; gave up after "
                                  + MAX_RELINK_ATTEMPTS
                                  + " attempts"));
                    }
                    return relink(key, current(view), r.currentPod(), attempt + 1);
                  });
        });
  }

  /**
   * Available pods minus ejected ones (and minus {@code exclude}; never a pod treated as down), or,
   * when passive health has ejected every available pod, the available pods (ejection never empties
   * a service on its own); each with its predicted load, and only those within the good band of the
   * least predicted load ({@link io.statefulroute.core.state.StateCacheOptions#goodLimit}). The
   * view's own good set is the same band on the published loads; placement bands the predicted
   * ones, so a pod that was least loaded at the last publication stops being good once this client
   * has filled it.
   */
  List<PodState> candidates(ServiceView view, int exclude) {
    List<PodState> pool = filter(view, view.availablePods(), exclude, true);
    if (pool.isEmpty()) {
      pool = filter(view, view.availablePods(), exclude, false);
      if (pool.isEmpty()) {
        return pool;
      }
    }
    List<PodState> predicted = load.predict(view, pool);
    long min = Long.MAX_VALUE;
    for (PodState p : predicted) {
      min = Math.min(min, p.load());
    }
    long limit = states.options().goodLimit(view.service(), min);
    List<PodState> good = new ArrayList<>(predicted.size());
    for (PodState p : predicted) {
      if (p.load() <= limit) {
        good.add(p);
      }
    }
    return Collections.unmodifiableList(good);
  }

  private List<PodState> filter(
      ServiceView view, List<PodState> pods, int exclude, boolean health) {
    List<PodState> out = new ArrayList<>(pods.size());
    for (PodState p : pods) {
      if (p.pod() != exclude
          && !(health && this.health.isEjected(view.namespace(), view.service(), p.pod()))
          && !failover.down(view, p.pod())) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The pod the selector would place {@code uid} on now among {@link #candidates}, without placing
   * it (nothing counted in the predicted load, nothing reported to the listener); null when no pod
   * can take a new uid.
   */
  @Nullable PodState best(ServiceView view, String uid) {
    List<PodState> candidates = candidates(view, -1);
    return candidates.isEmpty()
        ? null
        : selector.select(view.namespace(), view.service(), uid, candidates);
  }

  /** The pod's predicted load: its published load plus this client's placements since. */
  long predictedLoad(ServiceView view, PodState pod) {
    return load.predict(view, List.of(pod)).get(0).load();
  }

  /** No pod of the view's service can take a new uid (the error of computeLinkedPod). */
  static NoAvailablePodException noPod(ServiceView view) {
    return new NoAvailablePodException(
        view.namespace(),
        view.service(),
        view.pods().size(),
        view.routableCount(),
        view.availableCount());
  }
}
