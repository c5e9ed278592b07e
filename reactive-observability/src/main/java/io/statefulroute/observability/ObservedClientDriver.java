package io.statefulroute.observability;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.RouteInfo;
import io.statefulroute.core.placement.PlacementFeedback;
import io.statefulroute.core.server.ReleaseSummary;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.state.PodStateChange;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.observability.StatefulRouteObservations.LowKeys;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link ClientDriver} decorator that traces {@link #computeLinkedPod}: a {@code
 * statefulroute.compute} observation (child of the one in the subscriber context), its {@code
 * statefulroute.cache.lookup} child for the fast-path lookup, and, through the subscriber context
 * that the driver hands to its placement, the executor's script observations and (with {@link
 * ObservedPodSelector}) the placement observation as further children. Every other method is
 * delegated as is.
 */
final class ObservedClientDriver implements ClientDriver {
  private final ClientDriver delegate;
  private final Tracing tracing;

  ObservedClientDriver(ClientDriver delegate, Tracing tracing) {
    this.delegate = delegate;
    this.tracing = tracing;
  }

  @Override
  public Mono<Integer> computeLinkedPod(String namespace, String uid, String service) {
    Args.namespace(namespace); // argument errors still throw at call time
    Args.uid(uid);
    Args.service(service);
    return Mono.deferContextual(
        ctx -> {
          Observation compute =
              tracing.start(
                  StatefulRouteObservations.COMPUTE,
                  "compute_linked_pod",
                  namespace,
                  service,
                  uid,
                  tracing.parent(ctx));
          Observation lookup =
              tracing.start(
                  StatefulRouteObservations.CACHE_LOOKUP,
                  "cache_lookup",
                  namespace,
                  service,
                  uid,
                  compute);
          Mono<Integer> result;
          Observation.Scope scope = compute.openScope();
          try {
            result = delegate.computeLinkedPod(namespace, uid, service);
          } catch (RuntimeException e) {
            lookup.error(e);
            lookup.stop();
            compute.error(e);
            compute.stop();
            throw e;
          } finally {
            scope.close();
          }
          // the driver answers a fast-path hit with Mono.just: a scalar, nothing left to run
          String cache = result instanceof Fuseable.ScalarCallable ? "hit" : "miss";
          // a predicate of the application may have turned the lookup into a no-op observation,
          // whose context is not ours
          if (lookup.getContext() instanceof RouteObservationContext route) {
            route.result(cache);
          }
          lookup.lowCardinalityKeyValue(KeyValue.of(LowKeys.CACHE_RESULT, cache));
          lookup.stop();
          return Tracing.around(
              compute,
              new ScopedMono<>(
                  result.contextWrite(c -> c.put(Tracing.CONTEXT_KEY, compute)), compute));
        });
  }

  @Override
  public Mono<Integer> reportFailure(String namespace, String uid, String service, int pod) {
    return delegate.reportFailure(namespace, uid, service, pod);
  }

  @Override
  public Mono<Integer> getLinkedPod(String namespace, String uid, String service) {
    return delegate.getLinkedPod(namespace, uid, service);
  }

  @Override
  public Mono<Integer> getLinkedPodInCacheOrIfPersist(
      String namespace, String uid, String service) {
    return delegate.getLinkedPodInCacheOrIfPersist(namespace, uid, service);
  }

  @Override
  public Mono<Integer> getLinkedPodNotCache(String namespace, String uid, String service) {
    return delegate.getLinkedPodNotCache(namespace, uid, service);
  }

  @Override
  public Mono<Integer> getLinkedInCache(String namespace, String uid, String service) {
    return delegate.getLinkedInCache(namespace, uid, service);
  }

  @Override
  public void cacheExpired(String namespace, String uid, String service) {
    delegate.cacheExpired(namespace, uid, service);
  }

  @Override
  public void setCache(String namespace, String uid, String service, int pod) {
    delegate.setCache(namespace, uid, service, pod);
  }

  @Override
  public Mono<Map<String, Integer>> getLinkServices(String namespace, String uid) {
    return delegate.getLinkServices(namespace, uid);
  }

  @Override
  public Mono<Map<Integer, List<String>>> batchGetLinkedPod(
      String namespace, Collection<String> uids, String service) {
    return delegate.batchGetLinkedPod(namespace, uids, service);
  }

  @Override
  public Mono<ReleaseSummary> releasePersistentLinks(
      String namespace, String service, int pod, Duration delay) {
    return delegate.releasePersistentLinks(namespace, service, pod, delay);
  }

  @Override
  public Mono<Integer> setLinkedPodIfAbsent(String namespace, String uid, String service, int pod) {
    return delegate.setLinkedPodIfAbsent(namespace, uid, service, pod);
  }

  @Override
  public Flux<PodStateChange> stateChanges() {
    return delegate.stateChanges();
  }

  @Override
  public PlacementFeedback feedback() {
    return delegate.feedback();
  }

  @Override
  public boolean isCacheCoherent(String namespace) {
    return delegate.isCacheCoherent(namespace);
  }

  @Override
  public boolean isEjected(String namespace, String service, int pod) {
    return delegate.isEjected(namespace, service, pod);
  }

  @Override
  public CacheStats cacheStats() {
    return delegate.cacheStats();
  }

  @Override
  public long cacheSize() {
    return delegate.cacheSize();
  }

  @Override
  public void flushCache() {
    delegate.flushCache();
  }

  @Override
  public RouteInfo routeInfo() {
    return delegate.routeInfo();
  }

  @Override
  public ServiceStateCache states() {
    return delegate.states();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
