package io.statefulroute.observability;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an observation of {@link StatefulRouteObservations} knows: which one it is, the operation
 * and namespace, the service and uid (each {@code null} where it does not apply), and for the
 * placement and cache lookup its result.
 */
public final class RouteObservationContext extends Observation.Context {
  private final StatefulRouteObservations kind;
  private final String operation;
  private final String namespace;
  private final @Nullable String service;
  private final @Nullable String uid;
  private final @Nullable String dbSystem;
  private volatile @Nullable String result;

  RouteObservationContext(
      StatefulRouteObservations kind,
      String operation,
      String namespace,
      @Nullable String service,
      @Nullable String uid,
      @Nullable String dbSystem) {
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

  public @Nullable String service() {
    return service;
  }

  public @Nullable String uid() {
    return uid;
  }

  /** The database system ({@code redis}) for script and publish observations, else null. */
  public @Nullable String dbSystem() {
    return dbSystem;
  }

  /** The cache lookup's {@code hit}/{@code miss}, or the placement's strategy; else null. */
  public @Nullable String result() {
    return result;
  }

  void result(@Nullable String result) {
    this.result = result;
  }
}
