package io.statefulroute.core.placement;

import io.statefulroute.core.PodState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Rendezvous (highest random weight) hashing of the uid: each candidate scores {@code
 * mix(hash(uid), pod)} and the highest score wins. Stable: adding one pod to N moves about 1/(N+1)
 * of the uids (only those the new pod now wins), removing a pod moves only its uids.
 */
final class RendezvousSelector implements PodSelector {

  @Override
  public PodState select(String namespace, String service, String uid, List<PodState> candidates) {
    long uidHash = hash(uid);
    PodState best = null;
    long bestScore = 0;
    for (PodState p : candidates) {
      long score = mix(uidHash ^ (0x9E3779B97F4A7C15L * (p.pod() + 1L)));
      if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
        best = p;
        bestScore = score;
      }
    }
    return Objects.requireNonNull(best, "candidates is empty (a selector is given at least one)");
  }

  @Override
  public String name() {
    return "rendezvous";
  }

  /** FNV-1a 64 over the UTF-8 bytes, finished with a mixer. */
  static long hash(String uid) {
    long h = 0xcbf29ce484222325L;
    for (byte b : uid.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xFF);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** SplitMix64's finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
