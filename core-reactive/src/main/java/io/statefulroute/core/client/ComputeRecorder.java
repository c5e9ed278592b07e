package io.statefulroute.core.client;

import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Reports the slow path of {@code computeLinkedPod} to the {@link ClientListener}: outcome and
 * duration per caller. The caller's Reactor context carries a {@link Mark} into the shared
 * computation, where {@link #markRelinked} flags a moved link. With {@link ClientListener#NOOP} the
 * compute {@code Mono} is returned untouched.
 */
final class ComputeRecorder {
  private final ClientListener listener;
  private final boolean active;

  ComputeRecorder(ClientListener listener) {
    this.listener = listener;
    this.active = listener != ClientListener.NOOP;
  }

  Mono<Integer> record(LinkKey key, Mono<Integer> compute) {
    if (!active) {
      return compute;
    }
    return Mono.defer(
        () -> {
          long start = System.nanoTime();
          Mark mark = new Mark();
          return compute
              .doOnSuccess(
                  pod ->
                      listener.computeFinished(
                          key.namespace(),
                          key.service(),
                          mark.relinked ? ComputeOutcome.RELINKED : ComputeOutcome.LINKED,
                          null,
                          System.nanoTime() - start))
              .doOnError(
                  e ->
                      listener.computeFinished(
                          key.namespace(),
                          key.service(),
                          ComputeOutcome.ofError(e),
                          e,
                          System.nanoTime() - start))
              .contextWrite(ctx -> ctx.put(Mark.class, mark));
        });
  }

  /** Flags the compute whose context is {@code ctx} as having moved its link. */
  static void markRelinked(ContextView ctx) {
    ctx.getOrEmpty(Mark.class).ifPresent(m -> ((Mark) m).relinked = true);
  }

  /** Per-caller state of one recorded compute. */
  private static final class Mark {
    volatile boolean relinked;
  }
}
