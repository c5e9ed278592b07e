package io.statefulroute.core.client;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Orders cache fills against link events. A fill (a store read whose reply goes into the cache
 * after the I/O) takes a stamp of its key before the read; every link event heard for a key
 * advances the key's stamp before it is applied to the cache. A reply is cached only when the
 * stamp has not moved since the read started, and checked again once it is in the cache: either
 * the event's application sees the filled entry (and corrects it), or the fill sees the moved
 * stamp (and takes its entry out again). So a reply read before a change, whose announcement
 * arrived first on the other connection, never overwrites it.
 *
 * <p>Stamps are striped over a fixed array by the key's hash: memory is bounded whatever the
 * number of uids, and two keys sharing a stripe only cost a fill that is not cached.
 */
final class LinkChangeStamps {
  private static final int STRIPES = 4096; // a power of two

  private static final int EPOCH_SHIFT = 40;
  private static final long STRIPE_MASK = (1L << EPOCH_SHIFT) - 1;

  private final AtomicLongArray stamps = new AtomicLongArray(STRIPES);
  /** Advanced when the subscription changes: events may have been missed, every stamp moves. */
  private final AtomicLong epoch = new AtomicLong();

  /** The key's stamp now: take it before the read. */
  long stamp(LinkKey key) {
    return (epoch.get() << EPOCH_SHIFT) | (stamps.get(stripe(key)) & STRIPE_MASK);
  }

  /** A link event for {@code key} is about to be applied. */
  void changed(LinkKey key) {
    stamps.incrementAndGet(stripe(key));
  }

  /**
   * The link-event subscription was confirmed or lost: a read in flight may have missed a change
   * (or read before the subscription that would have announced it), so no reply of a read
   * started before now is cached.
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
