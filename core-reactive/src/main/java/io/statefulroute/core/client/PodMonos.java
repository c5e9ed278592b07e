package io.statefulroute.core.client;

import reactor.core.publisher.Mono;

/**
 * The hit path's answers: one {@code Mono.just} per pod index below {@value #SHARED}, made once and
 * shared by every cache hit. A {@code Mono.just} is immutable and keeps no state per subscriber
 * (each subscription gets its own), so sharing it changes nothing a caller can see, except that
 * assembly hooks installed after this class was loaded (Reactor's debug mode) do not decorate these
 * instances. Pods at or above {@value #SHARED} get a new one per call.
 */
final class PodMonos {
  static final int SHARED = 1024;

  private static final Mono<Integer>[] JUST = just();

  private PodMonos() {}

  /** A Mono that emits {@code pod} (a pod index, never negative) and completes. */
  static Mono<Integer> of(Integer pod) {
    int p = pod;
    return p >= 0 && p < SHARED ? JUST[p] : Mono.just(pod);
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type
  private static Mono<Integer>[] just() {
    Mono<Integer>[] out = new Mono[SHARED];
    for (int p = 0; p < SHARED; p++) {
      out[p] = Mono.just(p);
    }
    return out;
  }
}
