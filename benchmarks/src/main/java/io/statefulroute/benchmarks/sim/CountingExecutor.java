package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.ForwardingStatefulExecutor;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StatefulExecutor;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Mono;

/**
 * A gateway's connection to the store, counting the link calls its client driver makes: every
 * {@code computeLinkedPod} that misses the local cache makes exactly one set-if-absent (or, when no
 * pod can take a new link, one read), so the requests without such a call were cache hits; a
 * compare-and-set that replaced the link is a relink.
 */
final class CountingExecutor extends ForwardingStatefulExecutor {
  private final LongAdder lookups = new LongAdder();
  private final LongAdder relinks = new LongAdder();

  CountingExecutor(StatefulExecutor store) {
    super(store);
  }

  /** Set-if-absent and read calls so far: the driver's cache misses. */
  long lookups() {
    return lookups.sum();
  }

  /** Links moved off an unroutable pod by compare-and-set so far. */
  long relinks() {
    return relinks.sum();
  }

  /** A set-if-absent or link read is counted as a lookup when subscribed. */
  @Override
  protected <T> Mono<T> around(
      Operation operation, String ns, String service, String uid, Mono<T> call) {
    return switch (operation) {
      case SET_LINK_IF_ABSENT, SET_LINK_IF_ABSENT_LEASE, GET_LINK, GET_LINK_LEASE ->
          Mono.defer(
              () -> {
                lookups.increment();
                return call;
              });
      default -> call;
    };
  }

  @Override
  public Mono<ReplaceResult> replaceLink(
      String ns, String uid, String service, int expectedPod, int newPod, long ttlSeconds) {
    return super.replaceLink(ns, uid, service, expectedPod, newPod, ttlSeconds)
        .doOnNext(
            r -> {
              if (r.replaced()) {
                relinks.increment();
              }
            });
  }

  /** Does not close the shared store: the simulation closes it. */
  @Override
  public void close() {}
}
