package io.statefulroute.core.placement;

import io.statefulroute.core.PodState;
import java.util.List;

/**
 * Chooses the pod for a new link among candidates: the placement SPI of the client driver (see
 * docs/architecture.md, "Placement").
 *
 * <p>The client driver calls {@link #select} only with a non-empty candidate list: the service's
 * available pods (fresh, READY) minus the pods that passive health has ejected, narrowed to the
 * <em>good</em> band above the least loaded, sorted by pod index. Each candidate's {@link
 * PodState#load()} is its <em>predicted</em> load: the load it published last plus this client's
 * own placements on it since that publication, so that placements between two publications do not
 * all see the same loads (see docs/architecture.md, "Placement"). Implementations must be
 * thread-safe and must not block; they keep any per-service state themselves, keyed by {@code
 * namespace} and {@code service}.
 *
 * <p>Strategies that learn from calls (least in-flight, least response time) also implement {@link
 * PlacementFeedback}; the client driver forwards the caller's reports to them.
 *
 * @see PodSelectors for the built-in strategies
 */
@FunctionalInterface
public interface PodSelector {

  /**
   * Picks one of {@code candidates}.
   *
   * @param namespace the namespace of the link
   * @param service the service of the link
   * @param uid the uid being placed (for affinity strategies such as rendezvous hashing)
   * @param candidates non-empty, sorted by pod index, unmodifiable
   * @return one element of {@code candidates}
   */
  PodState select(String namespace, String service, String uid, List<PodState> candidates);

  /** The strategy's name, for metrics and reports. */
  default String name() {
    return getClass().getSimpleName();
  }
}
