package io.statefulroute.observability;

import io.micrometer.observation.Observation;
import io.statefulroute.core.PodState;
import io.statefulroute.core.placement.PlacementFeedback;
import io.statefulroute.core.placement.PodSelector;
import java.time.Duration;
import java.util.List;

/**
 * A {@link PodSelector} decorator that observes each decision ({@code statefulroute.placement}) as
 * a child of the registry's current observation, i.e. of the traced compute that runs it. Decisions
 * made outside a traced compute are not observed (they would be root spans of a few microseconds).
 * Feedback reports are forwarded when the delegate takes them.
 */
final class ObservedPodSelector implements PodSelector, PlacementFeedback {
  private final PodSelector delegate;
  private final Tracing tracing;

  ObservedPodSelector(PodSelector delegate, Tracing tracing) {
    this.delegate = delegate;
    this.tracing = tracing;
  }

  @Override
  public PodState select(String namespace, String service, String uid, List<PodState> candidates) {
    Observation parent = tracing.registry().getCurrentObservation();
    if (parent == null) {
      return delegate.select(namespace, service, uid, candidates);
    }
    Observation obs =
        tracing.start(
            StatefulRouteObservations.PLACEMENT,
            "select_pod",
            namespace,
            service,
            uid,
            delegate.name(),
            parent);
    try {
      return delegate.select(namespace, service, uid, candidates);
    } catch (RuntimeException e) {
      obs.error(e);
      throw e;
    } finally {
      obs.stop();
    }
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public void callStarted(String namespace, String service, int pod) {
    if (delegate instanceof PlacementFeedback f) {
      f.callStarted(namespace, service, pod);
    }
  }

  @Override
  public void callFinished(
      String namespace, String service, int pod, Duration latency, boolean success) {
    if (delegate instanceof PlacementFeedback f) {
      f.callFinished(namespace, service, pod, latency, success);
    }
  }
}
