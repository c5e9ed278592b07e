package io.statefulroute.core;

/**
 * No pod can take a new link for the service: none is fresh and READY (or every one is ejected by
 * passive health and none is left). Never answered by a silent fallback to some pod.
 */
public class NoAvailablePodException extends StatefulRouteException {
  private static final long serialVersionUID = 1L;

  private final String namespace;
  private final String service;
  private final int knownPods;
  private final int routablePods;
  private final int availablePods;

  public NoAvailablePodException(
      String namespace, String service, int knownPods, int routablePods, int availablePods) {
    super(
        "no available pod for service '"
            + service
            + "' in namespace '"
            + namespace
            + "': "
            + knownPods
            + " pods known, "
            + routablePods
            + " routable, "
            + availablePods
            + " available");
    this.namespace = namespace;
    this.service = service;
    this.knownPods = knownPods;
    this.routablePods = routablePods;
    this.availablePods = availablePods;
  }

  public String namespace() {
    return namespace;
  }

  public String service() {
    return service;
  }

  /** Pods with a state record (fresh or not). */
  public int knownPods() {
    return knownPods;
  }

  /** Fresh pods in READY or DENY_NEW_CALL. */
  public int routablePods() {
    return routablePods;
  }

  /** Fresh READY pods (before passive-health ejection). */
  public int availablePods() {
    return availablePods;
  }
}
