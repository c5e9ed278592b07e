package io.statefulroute.observability;

import io.micrometer.observation.Observation;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;

/**
 * Subscribes to its source with {@code observation} opened as the registry's current observation,
 * so work done synchronously during subscription (the client's cache lookup and placement when the
 * service's state is already known) sees it as its parent.
 */
final class ScopedMono<T> extends MonoOperator<T, T> {
  private final Observation observation;

  ScopedMono(Mono<T> source, Observation observation) {
    super(source);
    this.observation = observation;
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    Observation.Scope scope = observation.openScope();
    try {
      source.subscribe(actual);
    } finally {
      scope.close();
    }
  }
}
