package io.statefulroute.core;

import java.time.Duration;

/**
 * What {@link StatefulExecutor#linkEvents(String)} reports: a link of the namespace changed, or
 * the stream of such changes started or stopped being complete.
 *
 * <p>Link changes are announced by the store in the same atomic step as the change (inside the
 * Lua script on Redis), in the order they happened for one uid. A subscriber that has seen
 * {@link Subscribed} and no {@link Unsubscribed} since has seen every change made after it.
 * Between an {@link Unsubscribed} and the next {@link Subscribed} changes may be missed: a cache
 * fed by these events must treat what it holds as unconfirmed until then.
 */
public sealed interface LinkEvent {

  /** The namespace whose links this event is about. */
  String namespace();

  /**
   * The link of {@code uid} for {@code service} now points at {@code pod} (set, claim or
   * replace moved it there or created it). Creating a link where there was none with
   * set-if-absent is not announced: no cache can hold a link that did not exist.
   */
  record Linked(String namespace, String uid, String service, int pod) implements LinkEvent {}

  /**
   * The link of {@code uid} for {@code service} was removed: at once ({@code delay} zero), or it
   * keeps answering for {@code delay} (delayed removal) and then ends.
   */
  record Removed(String namespace, String uid, String service, Duration delay)
      implements LinkEvent {}

  /** Listening: every change from here on will be reported (also sent after a reconnect). */
  record Subscribed(String namespace) implements LinkEvent {}

  /** Not listening any more (connection lost): changes may be missed until {@link Subscribed}. */
  record Unsubscribed(String namespace, String reason) implements LinkEvent {}
}
