package io.statefulroute.observability;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * Every observation (trace span) this module makes, with its key names. Low-cardinality keys follow
 * OpenTelemetry's database conventions where they apply ({@code db.system}, {@code db.operation});
 * the uid is a high-cardinality key, off unless {@link
 * StatefulRouteObservability.Builder#uidInTraces(boolean)} turns it on.
 *
 * <p>Observation names differ from the meter names ({@link StatefulRouteMeters}) on purpose: a
 * {@code DefaultMeterObservationHandler} on the same registry then creates its own timers next to
 * ours instead of clashing with them.
 */
public enum StatefulRouteObservations implements ObservationDocumentation {
  /** One {@code computeLinkedPod} call; parent of its cache lookup, placement, executor calls. */
  COMPUTE("statefulroute.compute", false),
  /** The fast-path lookup in the local link cache; key {@code statefulroute.cache.result}. */
  CACHE_LOOKUP("statefulroute.cache.lookup", false),
  /** One decision of the placement strategy (when run within a traced compute). */
  PLACEMENT("statefulroute.placement", false),
  /**
   * One executor call, a Lua script or a plain read alike (the span of every call the meter {@code
   * statefulroute.executor.call} times; named apart from it, see above); {@code db.system}, {@code
   * db.operation}.
   */
  SCRIPT("statefulroute.script", true),
  /** One state publication of a server pod (the {@code publish_state} script). */
  PUBLISH("statefulroute.publish", true);

  private final String observationName;
  private final boolean database;

  StatefulRouteObservations(String observationName, boolean database) {
    this.observationName = observationName;
    this.database = database;
  }

  @Override
  public String getName() {
    return observationName;
  }

  @Override
  public Class<? extends ObservationConvention<? extends Observation.Context>>
      getDefaultConvention() {
    return DefaultRouteObservationConvention.class;
  }

  @Override
  public KeyName[] getLowCardinalityKeyNames() {
    if (database) {
      return new KeyName[] {
        LowKeys.DB_SYSTEM, LowKeys.DB_OPERATION, LowKeys.NAMESPACE, LowKeys.SERVICE
      };
    }
    if (this == CACHE_LOOKUP) {
      return new KeyName[] {
        LowKeys.OPERATION, LowKeys.NAMESPACE, LowKeys.SERVICE, LowKeys.CACHE_RESULT
      };
    }
    if (this == PLACEMENT) {
      return new KeyName[] {
        LowKeys.OPERATION, LowKeys.NAMESPACE, LowKeys.SERVICE, LowKeys.STRATEGY
      };
    }
    return new KeyName[] {LowKeys.OPERATION, LowKeys.NAMESPACE, LowKeys.SERVICE};
  }

  @Override
  public KeyName[] getHighCardinalityKeyNames() {
    return new KeyName[] {HighKeys.UID};
  }

  /** Low-cardinality keys (bounded values). */
  public enum LowKeys implements KeyName {
    /** {@code redis} for the Redis executor (configurable). */
    DB_SYSTEM("db.system"),
    /** The executor operation, e.g. {@code set_link_if_absent}. */
    DB_OPERATION("db.operation"),
    /** The driver operation, e.g. {@code compute_linked_pod}. */
    OPERATION("statefulroute.operation"),
    NAMESPACE("statefulroute.namespace"),
    SERVICE("statefulroute.service"),
    /** {@code hit} or {@code miss}. */
    CACHE_RESULT("statefulroute.cache.result"),
    /** The placement strategy's name. */
    STRATEGY("statefulroute.strategy");

    private final String key;

    LowKeys(String key) {
      this.key = key;
    }

    @Override
    public String asString() {
      return key;
    }
  }

  /** High-cardinality keys (opt-in). */
  public enum HighKeys implements KeyName {
    /** The uid (only with {@code uidInTraces(true)}). */
    UID("statefulroute.uid");

    private final String key;

    HighKeys(String key) {
      this.key = key;
    }

    @Override
    public String asString() {
      return key;
    }
  }
}
