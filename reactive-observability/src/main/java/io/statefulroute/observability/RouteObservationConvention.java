package io.statefulroute.observability;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The convention of {@link StatefulRouteObservations}: implement it to rename observations or
 * change their keys, and pass it to {@link StatefulRouteObservability.Builder#convention}.
 */
public interface RouteObservationConvention extends ObservationConvention<RouteObservationContext> {
  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof RouteObservationContext;
  }
}
