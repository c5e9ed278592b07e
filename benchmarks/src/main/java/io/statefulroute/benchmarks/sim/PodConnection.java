package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.ForwardingStatefulExecutor;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.StoreUnavailableException;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A pod process's connection to the store. {@link #cut()} models the process dying: from then on
 * its publications fail (the server driver retries, counts the failures, and never publishes
 * again), so the pod's record goes stale without a SHUTDOWN. A cut is final: a restarted pod opens
 * a new connection.
 */
final class PodConnection extends ForwardingStatefulExecutor {
  private volatile boolean cut;

  PodConnection(StatefulExecutor store) {
    super(store);
  }

  void cut() {
    cut = true;
  }

  @Override
  public Mono<Long> publishState(String ns, String service, PodStatus status, Duration pruneAfter) {
    Mono<Long> publication = super.publishState(ns, service, status, pruneAfter);
    return Mono.defer(
        () ->
            cut
                ? Mono.error(
                    new StoreUnavailableException("pod " + status.pod() + " crashed", null))
                : publication);
  }

  /** Does not close the shared store: the simulation closes it. */
  @Override
  public void close() {}
}
