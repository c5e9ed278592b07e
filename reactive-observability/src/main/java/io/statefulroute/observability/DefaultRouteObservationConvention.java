package io.statefulroute.observability;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.statefulroute.observability.StatefulRouteObservations.HighKeys;
import io.statefulroute.observability.StatefulRouteObservations.LowKeys;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link RouteObservationConvention}: names from {@link StatefulRouteObservations}, the
 * operation as the contextual (span) name, the keys documented there, the uid only when enabled.
 */
public class DefaultRouteObservationConvention implements RouteObservationConvention {
  private final boolean uid;

  /** Without the uid key. */
  public DefaultRouteObservationConvention() {
    this(false);
  }

  /**
   * @param uid whether to add the high-cardinality uid key
   */
  public DefaultRouteObservationConvention(boolean uid) {
    this.uid = uid;
  }

  /** {@code null}: each observation keeps its {@link StatefulRouteObservations} name. */
  @Override
  public @Nullable String getName() {
    return null;
  }

  @Override
  public String getContextualName(RouteObservationContext context) {
    return context.kind() == StatefulRouteObservations.SCRIPT
            || context.kind() == StatefulRouteObservations.PUBLISH
        ? context.operation()
        : context.kind().getName();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(RouteObservationContext context) {
    KeyValues kv =
        KeyValues.of(
            KeyValue.of(LowKeys.NAMESPACE, orNone(context.namespace())),
            KeyValue.of(LowKeys.SERVICE, orNone(context.service())));
    if (context.dbSystem() != null) {
      kv =
          kv.and(
              KeyValue.of(LowKeys.DB_SYSTEM, context.dbSystem()),
              KeyValue.of(LowKeys.DB_OPERATION, context.operation()));
    } else {
      kv = kv.and(KeyValue.of(LowKeys.OPERATION, context.operation()));
    }
    if (context.kind() == StatefulRouteObservations.CACHE_LOOKUP) {
      kv = kv.and(KeyValue.of(LowKeys.CACHE_RESULT, orNone(context.result())));
    } else if (context.kind() == StatefulRouteObservations.PLACEMENT) {
      kv = kv.and(KeyValue.of(LowKeys.STRATEGY, orNone(context.result())));
    }
    return kv;
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(RouteObservationContext context) {
    return uid && context.uid() != null
        ? KeyValues.of(KeyValue.of(HighKeys.UID, context.uid()))
        : KeyValues.empty();
  }

  private static String orNone(@Nullable String value) {
    return value == null ? "none" : value;
  }
}
