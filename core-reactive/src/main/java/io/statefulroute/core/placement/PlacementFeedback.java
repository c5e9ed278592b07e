package io.statefulroute.core.placement;

import java.time.Duration;

/**
 * What callers report about the calls they route, for strategies and passive health that learn from
 * them. Reports are cheap, non-blocking and thread-safe.
 */
public interface PlacementFeedback {

  /** A call to {@code pod} started (least-in-flight counts it until {@link #callFinished}). */
  void callStarted(String namespace, String service, int pod);

  /**
   * A call to {@code pod} finished.
   *
   * @param latency how long it took (least-response-time feeds its EWMA with it)
   * @param success {@code false} when the pod failed the call (passive health counts it)
   */
  void callFinished(String namespace, String service, int pod, Duration latency, boolean success);

  /** Feedback that ignores every report. */
  PlacementFeedback NONE =
      new PlacementFeedback() {
        @Override
        public void callStarted(String namespace, String service, int pod) {}

        @Override
        public void callFinished(
            String namespace, String service, int pod, Duration latency, boolean success) {}
      };
}
