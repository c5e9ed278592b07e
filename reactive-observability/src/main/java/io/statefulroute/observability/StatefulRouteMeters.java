package io.statefulroute.observability;

import io.micrometer.core.instrument.Meter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Every meter this module registers: name, type, tag keys and meaning. The single source of the
 * meter table of docs/observability.md; {@code StatefulRouteMetersTest} registers everything in a
 * registry and checks that this enum and the registry agree (names, types, tag keys), both ways.
 *
 * <p>Tags are bounded: {@code namespace}, {@code service}, {@code operation}, {@code outcome},
 * {@code exception} (the exception's simple class name, {@code none} on success), and {@code
 * strategy} (the placement strategy's name). Never a uid or a key.
 */
public enum StatefulRouteMeters {
  CLIENT_COMPUTE(
      "statefulroute.client.compute",
      Meter.Type.COUNTER,
      null,
      List.of("namespace", "service", "outcome", "exception"),
      "computeLinkedPod calls by outcome: hit, linked, relinked, no_pod, owner_unavailable, error"),
  CLIENT_COMPUTE_DURATION(
      "statefulroute.client.compute.duration",
      Meter.Type.TIMER,
      null,
      List.of("namespace", "service", "outcome", "exception"),
      "duration of the computes that left the cache-hit fast path (hits are counted, not timed)"),
  CLIENT_CACHE_GETS(
      "statefulroute.client.cache.gets",
      Meter.Type.COUNTER,
      null,
      List.of("outcome"),
      "link cache lookups by outcome (hit, miss), from the Caffeine statistics"),
  CLIENT_CACHE_EVICTIONS(
      "statefulroute.client.cache.evictions",
      Meter.Type.COUNTER,
      null,
      List.of(),
      "link cache evictions (size or expiry), from the Caffeine statistics"),
  CLIENT_CACHE_SIZE(
      "statefulroute.client.cache.size",
      Meter.Type.GAUGE,
      null,
      List.of(),
      "cached links (approximate)"),
  REBALANCE_CYCLES(
      "statefulroute.rebalance.cycles",
      Meter.Type.COUNTER,
      null,
      List.of(MeterTags.NAMESPACE, MeterTags.SERVICE, MeterTags.OUTCOME),
      "rebalancing cycles run by this client: outcome led (it held the lease), idle (another "
          + "client did, or rebalancing is suspended) or failed; from Rebalancer.cycles()"),
  REBALANCE_REQUESTED(
      "statefulroute.rebalance.requested",
      Meter.Type.COUNTER,
      null,
      List.of(MeterTags.NAMESPACE, MeterTags.SERVICE),
      "links this client's rebalancer asked pods to shed (Rebalancer.requested())"),
  PLACEMENT_DECISIONS(
      "statefulroute.placement.decisions",
      Meter.Type.COUNTER,
      null,
      List.of("namespace", "service", "strategy"),
      "pods chosen by the placement strategy for new or moved links"),
  PLACEMENT_EJECTIONS(
      "statefulroute.placement.ejections",
      Meter.Type.COUNTER,
      null,
      List.of("namespace", "service"),
      "pods ejected from new placements by passive health"),
  CLIENT_FAILURE_REPORTS(
      "statefulroute.client.failure.reports",
      Meter.Type.COUNTER,
      null,
      List.of("namespace", "service", "down"),
      "reportFailure calls, by whether the pod was then treated as down (down=true: its links"
          + " move)"),
  EXECUTOR_CALL(
      "statefulroute.executor.call",
      Meter.Type.TIMER,
      null,
      List.of("operation", "outcome", "exception"),
      "executor calls (a Lua script or a plain read each) by operation; outcome success or error"),
  SERVER_PUBLISH(
      "statefulroute.server.publish",
      Meter.Type.TIMER,
      null,
      List.of("namespace", "service", "outcome", "exception"),
      "state publication attempts of server pods (each retry counts); outcome success or failure"),
  STATE_REFRESH(
      "statefulroute.state.refresh",
      Meter.Type.TIMER,
      null,
      List.of("namespace", "service", "outcome", "exception"),
      "state reads of the client's state cache; outcome success or failure"),
  STATE_REFRESH_AGE(
      "statefulroute.state.refresh.age",
      Meter.Type.GAUGE,
      "seconds",
      List.of("namespace", "service"),
      "time since the last successful state read of the service"),
  STATE_PODS_FRESH(
      "statefulroute.state.pods.fresh",
      Meter.Type.GAUGE,
      null,
      List.of("namespace", "service"),
      "pods whose state record is fresh (last read)"),
  STATE_PODS_ROUTABLE(
      "statefulroute.state.pods.routable",
      Meter.Type.GAUGE,
      null,
      List.of("namespace", "service"),
      "fresh pods that serve their links (READY or DENY_NEW_CALL)"),
  STATE_PODS_AVAILABLE(
      "statefulroute.state.pods.available",
      Meter.Type.GAUGE,
      null,
      List.of("namespace", "service"),
      "fresh READY pods (new links may be placed)"),
  STATE_LOAD_IMBALANCE(
      "statefulroute.state.load.imbalance",
      Meter.Type.GAUGE,
      null,
      List.of("namespace", "service"),
      "coefficient of variation (stddev / mean) of the available pods' loads; 0 when balanced");

  private final String meterName;
  private final Meter.Type type;
  private final @Nullable String baseUnit;

  @SuppressWarnings("ImmutableEnumChecker") // List.copyOf: unmodifiable
  private final List<String> tagKeys;

  private final String description;

  StatefulRouteMeters(
      String meterName,
      Meter.Type type,
      @Nullable String baseUnit,
      List<String> tagKeys,
      String description) {
    this.meterName = meterName;
    this.type = type;
    this.baseUnit = baseUnit;
    this.tagKeys = List.copyOf(tagKeys);
    this.description = description;
  }

  /** The dot-separated Micrometer name, under {@code statefulroute.}. */
  public String meterName() {
    return meterName;
  }

  public Meter.Type type() {
    return type;
  }

  /** The base unit, or {@code null} (timers are in the registry's time unit). */
  public @Nullable String baseUnit() {
    return baseUnit;
  }

  /** The tag keys every meter of this name carries, in a fixed order. */
  public List<String> tagKeys() {
    return tagKeys;
  }

  public String description() {
    return description;
  }
}
