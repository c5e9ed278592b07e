package io.statefulroute.core;

/**
 * The uid has a <em>persistent</em> link to a pod that is not routable (shut down, or no longer
 * publishing). A persistent link is never moved by clients: its owner, or an operator, must release
 * it (server driver {@code removeLinkedPod}) before the uid can be placed elsewhere.
 */
public class OwnerUnavailableException extends StatefulRouteException {
  private static final long serialVersionUID = 1L;

  private final String namespace;
  private final String service;
  private final int owner;

  public OwnerUnavailableException(String namespace, String service, int owner) {
    super(
        "the persistent link points at pod "
            + owner
            + " of service '"
            + service
            + "' in namespace '"
            + namespace
            + "', which is not routable; it must be released by "
            + "its owner before the uid can move");
    this.namespace = namespace;
    this.service = service;
    this.owner = owner;
  }

  public String namespace() {
    return namespace;
  }

  public String service() {
    return service;
  }

  /** The pod the persistent link points at. */
  public int owner() {
    return owner;
  }
}
