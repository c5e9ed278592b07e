package io.statefulroute.core.server;

import java.time.Duration;
import java.util.SplittableRandom;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The retry of a failed state publication: exponential backoff from {@link
 * ServerOptions#publishBackoff()}, capped at 1 s, {@link ServerOptions#publishRetries()} times, on
 * the options' scheduler.
 *
 * <p>Each delay is jittered by up to half of itself, as Reactor's {@code Retry.backoff} does, so
 * that the pods of a service that all failed at one store blip do not retry in step. Unlike {@code
 * Retry.backoff}, the jitter is drawn from the pod index, the incarnation and the attempt rather
 * than from a thread-local random: pods still spread out, and a run on virtual time (tests, the
 * simulation) repeats itself exactly.
 */
final class PublishRetry {
  static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

  private PublishRetry() {}

  static Retry of(ServerOptions options) {
    long seed = 31L * options.pod() + options.incarnation().hashCode();
    return Retry.from(
        signals ->
            signals.concatMap(
                signal -> {
                  long attempt = signal.totalRetriesInARow();
                  if (attempt >= options.publishRetries()) {
                    return Mono.error(signal.failure());
                  }
                  return Mono.delay(
                      delay(options.publishBackoff(), attempt, seed), options.scheduler());
                }));
  }

  /** {@code first * 2^attempt}, capped at 1 s, plus or minus up to half of it. */
  static Duration delay(Duration first, long attempt, long seed) {
    long base = first.toMillis() << Math.min(attempt, 20);
    base = Math.min(Math.max(base, 1), MAX_BACKOFF.toMillis());
    double spread = new SplittableRandom(seed * 1_000_003L + attempt).nextDouble() - 0.5;
    return Duration.ofMillis(Math.max(1, base + Math.round(base * spread)));
  }
}
