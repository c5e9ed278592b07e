package io.statefulroute.observability;

import io.micrometer.observation.Observation;

/**
 * What an observation of {@link StatefulRouteObservations} knows: which one it is, the
 * operation, namespace, service and uid (each may be {@code null} where it does not apply), and
 * for the placement and cache lookup its result.
 */
public final class RouteObservationContext extends Observation.Context {
  private final StatefulRouteObservations kind;
  private final String operation;
  private final String namespace;
  private final String service;
  private final String uid;
  private final String dbSystem;
  private volatile String result;

  RouteObservationContext(StatefulRouteObservations kind, String operation, String namespace,
      String service, String uid, String dbSystem) {
    this.kind = kind;
    this.operation = operation;
    this.namespace = namespace;
    this.service = service;
    this.uid = uid;
    this.dbSystem = dbSystem;
    setName(kind.getName());
  }

  public StatefulRouteObservations kind() {
    return kind;
  }

  public String operation() {
    return operation;
  }

  public String namespace() {
    return namespace;
  }

  public String service() {
    return service;
  }

  public String uid() {
    return uid;
  }

  /** The database system ({@code redis}) for script and publish observations, else null. */
  public String dbSystem() {
    return dbSystem;
  }

  /** The cache lookup's {@code hit}/{@code miss}, or the placement's strategy; else null. */
  public String result() {
    return result;
  }

  void result(String result) {
    this.result = result;
  }
}
