package io.statefulroute.core.client;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Orders cache fills against link events. A fill (a store read whose reply goes into the cache
 * after the I/O) takes a stamp of its key before the read; every link event heard for a key
 * advances the key's stamp before it is applied to the cache. A reply is cached only when the stamp
 * has not moved since the read started, and checked again once it is in the cache: either the
 * event's application sees the filled entry (and corrects it), or the fill sees the moved stamp
 * (and takes its entry out again). So a reply read before a change, whose announcement arrived
 * first on the other connection, never overwrites it.
 *
 * <p>Each stripe also keeps the highest version of the events heard for its keys (its
 * <em>floor</em>). A store read that starts after an event was applied sees that change (the store
 * announces a change once it is made), so its reply reflects every version up to the floor taken
 * after the stamp: the filled entry gets that floor as its version, and an older announcement
 * arriving late (from another node, across a failover) is not applied over it. Sharing a stripe can
 * only make the floor higher than the key's own: an event then found not newer drops the entry (one
 * re-read) instead of updating it.
 *
 * <p>Stamps are striped over a fixed array by the key's hash: memory is bounded whatever the number
 * of uids, and two keys sharing a stripe only cost a fill that is not cached.
 */
final class LinkChangeStamps {
  private static final int STRIPES = 4096; // a power of two

  private static final int EPOCH_SHIFT = 40;
  private static final long STRIPE_MASK = (1L << EPOCH_SHIFT) - 1;

  private final AtomicLongArray stamps = new AtomicLongArray(STRIPES);

  /** Per stripe: the highest version of an event heard for one of its keys. */
  private final AtomicLongArray floors = new AtomicLongArray(STRIPES);

  /** Advanced when the subscription changes: events may have been missed, every stamp moves. */
  private final AtomicLong epoch = new AtomicLong();

  /** The key's stamp now: take it before the read (and before {@link #floor}). */
  long stamp(LinkKey key) {
    return (epoch.get() << EPOCH_SHIFT) | (stamps.get(stripe(key)) & STRIPE_MASK);
  }

  /**
   * The version a store read of {@code key} started now reflects at least (0: none known): take it
   * after {@link #stamp}, so that a read whose stamp is unchanged at its end saw every event
   * counted here.
   */
  long floor(LinkKey key) {
    return floors.get(stripe(key));
  }

  /**
   * A link event for {@code key}, of {@code version} (0: none), is about to be applied. The floor
   * is raised before the stamp moves: a read stamped after it gets the raised floor.
   */
  void changed(LinkKey key, long version) {
    int stripe = stripe(key);
    if (version > 0) {
      floors.accumulateAndGet(stripe, version, Math::max);
    }
    stamps.incrementAndGet(stripe);
  }

  /**
   * The link-event subscription was confirmed or lost: a read in flight may have missed a change
   * (or read before the subscription that would have announced it), so no reply of a read started
   * before now is cached.
   */
  void changedAll() {
    epoch.incrementAndGet();
  }

  /** Whether no link event for {@code key} (or a key of its stripe) came since {@code stamp}. */
  boolean unchangedSince(LinkKey key, long stamp) {
    return stamp(key) == stamp;
  }

  private static int stripe(LinkKey key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }
}
