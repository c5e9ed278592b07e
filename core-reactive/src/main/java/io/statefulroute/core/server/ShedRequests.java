package io.statefulroute.core.server;

import io.statefulroute.core.StatefulExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The pod's side of rebalancing: after each successful publication, while someone subscribes to
 * {@link #asFlux()}, takes the pod's pending shed request from the store ({@link
 * StatefulExecutor#takeShedRequest}) and emits it. Nothing is taken while nobody listens, so a pod
 * whose application does not shed leaves the requests to lapse. One take in flight at a time; a
 * failed take is counted and the next publication tries again.
 */
final class ShedRequests {
  private final StatefulExecutor executor;
  private final ServerOptions options;
  private final Sinks.Many<ShedRequest> sink = Sinks.many().multicast().directBestEffort();
  private final AtomicBoolean taking = new AtomicBoolean();
  private final LongAdder received = new LongAdder();
  private final LongAdder failures = new LongAdder();

  ShedRequests(StatefulExecutor executor, ServerOptions options) {
    this.executor = executor;
    this.options = options;
  }

  Flux<ShedRequest> asFlux() {
    return sink.asFlux();
  }

  /** Takes a pending request when someone listens and no take is in flight; never throws. */
  void poll() {
    if (sink.currentSubscriberCount() == 0 || !taking.compareAndSet(false, true)) {
      return;
    }
    executor
        .takeShedRequest(options.namespace(), options.service(), options.pod())
        .timeout(options.shutdownTimeout(), options.scheduler())
        .doFinally(signal -> taking.set(false))
        .subscribe(
            links -> {
              received.increment();
              sink.tryEmitNext(new ShedRequest(links));
            },
            error -> failures.increment());
  }

  void complete() {
    sink.tryEmitComplete();
  }

  long received() {
    return received.sum();
  }

  long failures() {
    return failures.sum();
  }
}
