package io.statefulroute.observability;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Creates the observations of {@link StatefulRouteObservations} and ties them to Reactor: the
 * parent comes from the subscriber context (key {@value #CONTEXT_KEY}, the key of Micrometer's
 * {@link ObservationThreadLocalAccessor}, which Reactor uses too) or the registry's current
 * observation; the observation is put into the context of the work it observes, so nested calls
 * find it as their parent.
 */
final class Tracing {
  /** The Reactor context key of the current observation. */
  static final String CONTEXT_KEY = ObservationThreadLocalAccessor.KEY;

  private final ObservationRegistry registry;
  private final RouteObservationConvention convention;
  private final RouteObservationConvention defaultConvention;
  private final String dbSystem;

  Tracing(
      ObservationRegistry registry,
      RouteObservationConvention convention,
      boolean uidInTraces,
      String dbSystem) {
    this.registry = registry;
    this.convention = convention;
    this.defaultConvention = new DefaultRouteObservationConvention(uidInTraces);
    this.dbSystem = dbSystem;
  }

  boolean enabled() {
    return !registry.isNoop();
  }

  ObservationRegistry registry() {
    return registry;
  }

  Observation start(
      StatefulRouteObservations kind,
      String operation,
      String namespace,
      @Nullable String service,
      @Nullable String uid,
      @Nullable Observation parent) {
    return start(kind, operation, namespace, service, uid, null, parent);
  }

  Observation start(
      StatefulRouteObservations kind,
      String operation,
      String namespace,
      @Nullable String service,
      @Nullable String uid,
      @Nullable String result,
      @Nullable Observation parent) {
    RouteObservationContext context =
        new RouteObservationContext(
            kind,
            operation,
            namespace,
            service,
            uid,
            kind == StatefulRouteObservations.SCRIPT || kind == StatefulRouteObservations.PUBLISH
                ? dbSystem
                : null);
    context.result(result);
    return Observation.createNotStarted(convention, defaultConvention, () -> context, registry)
        .parentObservation(parent)
        .start();
  }

  /** The parent of a new observation: the context's, else the registry's current; or null. */
  @Nullable Observation parent(ContextView ctx) {
    Object o = ctx.getOrDefault(CONTEXT_KEY, null);
    return o instanceof Observation current ? current : registry.getCurrentObservation();
  }

  /**
   * {@code work} observed: started at subscription, stopped before the result goes downstream (so a
   * parent never ends before its child), errors recorded, cancellation stops it.
   */
  <T> Mono<T> observe(
      StatefulRouteObservations kind,
      String operation,
      String namespace,
      @Nullable String service,
      @Nullable String uid,
      Mono<T> work) {
    return Mono.deferContextual(
        ctx -> {
          Observation obs = start(kind, operation, namespace, service, uid, parent(ctx));
          return around(obs, work.contextWrite(c -> c.put(CONTEXT_KEY, obs)));
        });
  }

  static <T> Mono<T> around(Observation obs, Mono<T> work) {
    return work.doOnSuccess(v -> obs.stop())
        .doOnError(
            e -> {
              obs.error(e);
              obs.stop();
            })
        .doOnCancel(obs::stop);
  }
}
