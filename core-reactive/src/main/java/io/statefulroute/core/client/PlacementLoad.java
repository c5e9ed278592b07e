package io.statefulroute.core.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.statefulroute.core.PodState;
import io.statefulroute.core.state.ServiceView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The predicted load placement scores pods on: the load a pod published last, plus the placements
 * this client made on it since that publication (times {@code placementPeers}, for the other
 * clients' placements it cannot see). Without it every placement between two publications sees the
 * same loads and picks the same least loaded pods (herding).
 *
 * <p>Each pod keeps its recent placements in a ring of time slices on the local clock (the state
 * cache's: the clock a view's {@code fetchedAtMillis} is read on). A publication made at Redis time
 * {@code t} is taken to be local time {@code t + (view.fetchedAtMillis - view.serverTimeMillis)};
 * the prediction adds the placements of every slice that ends after it, so a newer publication
 * "resets" the count to the placements made since it (those before it are in the load it
 * published). The slice holding the publication counts whole: a little over, never under.
 *
 * <p>Thread-safe and lock-free: one compare-and-set per placement on one slot of an {@link
 * AtomicLongArray} (slice number and count packed in one long, so a slot reused by a newer slice
 * loses no increment). Memory: one ring ({@value #SLICES} longs) per pod that got a placement; pods
 * that no longer have a record are dropped, and a service unused for the idle timeout is forgotten.
 */
final class PlacementLoad {
  /** Slots per pod ring. */
  static final int SLICES = 128;

  private static final int COUNT_BITS = 24;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
  private static final long SLICE_MASK = (1L << (64 - COUNT_BITS)) - 1;

  private final LongSupplier clockMillis;
  private final long sliceMillis;
  private final int peers;
  private final Cache<ServiceKey, Map<Integer, Ring>> services;

  private record ServiceKey(String namespace, String service) {}

  /**
   * @param clockMillis the local clock of the state cache's views
   * @param horizon how far back a publication may be and still be predicted on exactly: the state
   *     expiry plus two refresh periods (an older record is not fresh)
   * @param idle a service without placements or predictions this long is forgotten
   * @param peers how many clients place at once ({@code ClientOptions.placementPeers}): each of
   *     this client's placements counts that many times
   */
  PlacementLoad(LongSupplier clockMillis, Duration horizon, Duration idle, int peers) {
    this.clockMillis = clockMillis;
    this.peers = peers;
    this.sliceMillis = Math.max(1, (horizon.toMillis() + SLICES - 2) / (SLICES - 1));
    this.services =
        Caffeine.newBuilder()
            .expireAfterAccess(idle)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clockMillis.getAsLong()))
            .executor(Runnable::run)
            .build();
  }

  /** The slice width in milliseconds (tests). */
  long sliceMillis() {
    return sliceMillis;
  }

  /**
   * {@code pods} with their {@link PodState#load()} replaced by the predicted load (published load
   * plus this client's placements since the publication, capped at {@code Integer.MAX_VALUE}). Same
   * order; a pod without placements since its publication is returned as it is.
   */
  List<PodState> predict(ServiceView view, List<PodState> pods) {
    Map<Integer, Ring> rings = rings(view.namespace(), view.service());
    if (rings.size() > view.pods().size()) {
      rings.keySet().retainAll(view.pods().keySet()); // pods whose records are gone
    }
    if (rings.isEmpty()) {
      return pods;
    }
    long offset = view.fetchedAtMillis() - view.serverTimeMillis();
    long now = clockMillis.getAsLong();
    List<PodState> out = new ArrayList<>(pods.size());
    for (PodState p : pods) {
      Ring r = rings.get(p.pod());
      long since = r == null ? 0 : r.since(p.serverTimeMillis() + offset, now);
      out.add(since == 0 ? p : withLoad(p, p.load() + since * peers));
    }
    return out;
  }

  /** The predicted load of {@code pod} of {@code view} (tests); -1 when it has no record. */
  long predicted(ServiceView view, int pod) {
    PodState p = view.pods().get(pod);
    if (p == null) {
      return -1;
    }
    return predict(view, List.of(p)).get(0).load();
  }

  /**
   * Counts a placement on {@code pod} now.
   *
   * @return a token for {@link #undo}: the placement did not land there
   */
  long placed(String namespace, String service, int pod) {
    Ring r = rings(namespace, service).computeIfAbsent(pod, k -> new Ring());
    return r.add(clockMillis.getAsLong() / sliceMillis);
  }

  /** Takes back the placement of {@code token} (the store kept another pod, or the call failed). */
  void undo(String namespace, String service, int pod, long token) {
    Map<Integer, Ring> rings = services.getIfPresent(new ServiceKey(namespace, service));
    Ring r = rings == null ? null : rings.get(pod);
    if (r != null) {
      r.remove(token);
    }
  }

  private Map<Integer, Ring> rings(String namespace, String service) {
    return services.get(new ServiceKey(namespace, service), k -> new ConcurrentHashMap<>());
  }

  private static PodState withLoad(PodState p, long load) {
    return new PodState(
        p.pod(),
        (int) Math.min(Integer.MAX_VALUE, load),
        p.state(),
        p.serverTimeMillis(),
        p.incarnation());
  }

  /** One pod's placements per time slice: slot i holds (slice number, count) packed. */
  private final class Ring {
    private final AtomicLongArray slots = new AtomicLongArray(SLICES);

    long add(long slice) {
      int i = (int) Math.floorMod(slice, (long) SLICES);
      long tag = slice & SLICE_MASK;
      while (true) {
        long v = slots.get(i);
        long next =
            (v >>> COUNT_BITS) == tag
                ? (v & COUNT_MASK) == COUNT_MASK ? v : v + 1
                : (tag << COUNT_BITS) | 1;
        if (slots.compareAndSet(i, v, next)) {
          return slice;
        }
      }
    }

    void remove(long slice) {
      int i = (int) Math.floorMod(slice, (long) SLICES);
      long tag = slice & SLICE_MASK;
      while (true) {
        long v = slots.get(i);
        if ((v >>> COUNT_BITS) != tag || (v & COUNT_MASK) == 0) {
          return; // the slice left the ring: it no longer counts anyway
        }
        if (slots.compareAndSet(i, v, v - 1)) {
          return;
        }
      }
    }

    /** Placements in the slices that end after {@code fromMillis}, up to now. */
    long since(long fromMillis, long nowMillis) {
      long first = Math.max(Math.floorDiv(fromMillis, sliceMillis), 0);
      long last = nowMillis / sliceMillis;
      first = Math.max(first, last - SLICES + 1);
      long sum = 0;
      for (long s = first; s <= last; s++) {
        long v = slots.get((int) Math.floorMod(s, (long) SLICES));
        if ((v >>> COUNT_BITS) == (s & SLICE_MASK)) {
          sum += v & COUNT_MASK;
        }
      }
      return sum;
    }
  }
}
