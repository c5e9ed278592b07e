package io.statefulroute.core;

/**
 * A release of a pod's persistent links (client driver {@code releasePersistentLinks}) was refused
 * because the pod is routable in the client's state view: it publishes READY or DENY_NEW_CALL and
 * its record is fresh. A live pod's links are released by that pod itself (its drain: server driver
 * {@code removeLinkedPod} or {@code releaseLinks}), never by a client.
 */
public class PodRoutableException extends StatefulRouteException {
  private static final long serialVersionUID = 1L;

  private final String namespace;
  private final String service;
  private final int pod;
  private final RoutingState state;

  public PodRoutableException(String namespace, String service, int pod, RoutingState state) {
    super(
        "pod "
            + pod
            + " of service '"
            + service
            + "' in namespace '"
            + namespace
            + "' is routable ("
            + state
            + "): its persistent links are released by the pod itself, "
            + "not by a client; release them only once it is gone (SHUTDOWN, or no longer "
            + "publishing)");
    this.namespace = namespace;
    this.service = service;
    this.pod = pod;
    this.state = state;
  }

  public String namespace() {
    return namespace;
  }

  public String service() {
    return service;
  }

  /** The pod whose release was refused. */
  public int pod() {
    return pod;
  }

  /** The routing state the pod publishes ({@link RoutingState#isRoutable() routable}). */
  public RoutingState state() {
    return state;
  }
}
