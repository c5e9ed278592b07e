package io.statefulroute.core.server;

/**
 * A rebalancer's request to this pod ({@link ServerDriver#shedRequests()}): release about {@code
 * links} of the uids it hosts, chosen by the application (idle ones: between two sessions of their
 * user), with {@link ServerDriver#releaseLinks}. Their next request is then placed afresh, on a pod
 * with less load. The request is advice: releasing fewer, or none, breaks nothing; a pod that
 * releases a pinned link leaves it (a pin is never released by its pod).
 *
 * @param links how many links to release, {@code >= 1}
 */
public record ShedRequest(int links) {
  public ShedRequest {
    if (links < 1) {
      throw new IllegalArgumentException("links must be >= 1, was " + links);
    }
  }
}
