package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.LinkLease;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StatefulExecutor;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Mono;

/**
 * A gateway's connection to the store, counting the link calls its client driver makes: every
 * {@code computeLinkedPod} that misses the local cache makes exactly one set-if-absent (or, when
 * no pod can take a new link, one read), so the requests without such a call were cache hits;
 * a compare-and-set that replaced the link is a relink.
 */
final class CountingExecutor extends ForwardingExecutor {
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

  @Override
  public Mono<Integer> setLinkIfAbsent(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return Mono.defer(() -> {
      lookups.increment();
      return delegate().setLinkIfAbsent(ns, uid, service, pod, ttlSeconds);
    });
  }

  @Override
  public Mono<LinkLease> setLinkIfAbsentLease(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return Mono.defer(() -> {
      lookups.increment();
      return delegate().setLinkIfAbsentLease(ns, uid, service, pod, ttlSeconds);
    });
  }

  @Override
  public Mono<LinkLease> getLinkLease(String ns, String uid, String service) {
    return Mono.defer(() -> {
      lookups.increment();
      return delegate().getLinkLease(ns, uid, service);
    });
  }

  @Override
  public Mono<Integer> getLink(String ns, String uid, String service) {
    return Mono.defer(() -> {
      lookups.increment();
      return delegate().getLink(ns, uid, service);
    });
  }

  @Override
  public Mono<ReplaceResult> replaceLink(
      String ns, String uid, String service, int expectedPod, int newPod, long ttlSeconds) {
    return delegate().replaceLink(ns, uid, service, expectedPod, newPod, ttlSeconds)
        .doOnNext(r -> {
          if (r.replaced()) {
            relinks.increment();
          }
        });
  }
}
