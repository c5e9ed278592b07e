package io.statefulroute.core.client;

import io.statefulroute.core.placement.PlacementFeedback;
import java.time.Duration;

/** Forwards reports to the feedback-driven selector and to passive health. */
record CompositeFeedback(PlacementFeedback first, PlacementFeedback second)
    implements PlacementFeedback {
  @Override
  public void callStarted(String namespace, String service, int pod) {
    first.callStarted(namespace, service, pod);
    second.callStarted(namespace, service, pod);
  }

  @Override
  public void callFinished(
      String namespace, String service, int pod, Duration latency, boolean success) {
    first.callFinished(namespace, service, pod, latency, success);
    second.callFinished(namespace, service, pod, latency, success);
  }
}
