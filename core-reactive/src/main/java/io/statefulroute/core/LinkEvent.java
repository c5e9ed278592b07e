package io.statefulroute.core;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What {@link StatefulExecutor#linkEvents(String)} reports: a link of the namespace changed, or the
 * stream of such changes started or stopped being complete.
 *
 * <p>Link changes are announced by the store in the same atomic step as the change (inside the Lua
 * script on Redis), in the order they happened for one uid. A subscriber that has seen {@link
 * Subscribed} and no {@link Unsubscribed} since has seen every change made after it. Between an
 * {@link Unsubscribed} and the next {@link Subscribed} changes may be missed: a cache fed by these
 * events must treat what it holds as unconfirmed until then. The executor also reports an {@link
 * Unsubscribed} followed at once by a {@link Subscribed} when changes may have been lost without it
 * missing an announcement (on a Redis Cluster, a master changed: writes acknowledged by the old
 * master may be gone), so that such caches re-verify what they hold.
 *
 * <p>A change carries a {@linkplain Linked#version() version}: the store's clock when it was made
 * (microseconds on Redis, taken from the master's {@code TIME}). Across a failover the
 * announcements of one uid come from different nodes and can arrive out of order; a cache keeps the
 * version of the change it applied last and never lets an announcement that is not newer undo it.
 * Versions of one uid increase with its changes on one node; across nodes they are only as ordered
 * as the nodes' clocks.
 */
public sealed interface LinkEvent {

  /** The namespace whose links this event is about. */
  String namespace();

  /**
   * The link of {@code uid} for {@code service} now points at {@code pod} (set, claim or replace
   * moved it there or created it). Creating a link where there was none with set-if-absent is not
   * announced: no cache can hold a link that did not exist.
   *
   * <p>Equal to another {@code Linked} when they announce the same change (namespace, uid, service
   * and pod): the version orders announcements and is not compared.
   *
   * @param version the change's order among the changes of this uid (positive); empty when the
   *     store gave none (an announcement of an earlier version of the scripts, or an event made by
   *     hand): then it is applied as it comes
   */
  record Linked(String namespace, String uid, String service, int pod, OptionalLong version)
      implements LinkEvent {
    public Linked {
      Objects.requireNonNull(version, "version");
      if (version.isPresent() && version.getAsLong() <= 0) {
        throw new IllegalArgumentException("version must be positive: " + version.getAsLong());
      }
    }

    /** A change without a version. */
    public Linked(String namespace, String uid, String service, int pod) {
      this(namespace, uid, service, pod, OptionalLong.empty());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Linked l
          && pod == l.pod
          && Objects.equals(namespace, l.namespace)
          && Objects.equals(uid, l.uid)
          && Objects.equals(service, l.service);
    }

    @Override
    public int hashCode() {
      return Objects.hash(namespace, uid, service, pod);
    }
  }

  /**
   * The link of {@code uid} for {@code service} was removed: at once ({@code delay} zero), or it
   * keeps answering for {@code delay} (delayed removal) and then ends.
   *
   * <p>Equal to another {@code Removed} when they announce the same change (namespace, uid, service
   * and delay): the version is not compared.
   *
   * @param version as {@link Linked#version()}
   */
  record Removed(String namespace, String uid, String service, Duration delay, OptionalLong version)
      implements LinkEvent {
    public Removed {
      Objects.requireNonNull(version, "version");
      if (version.isPresent() && version.getAsLong() <= 0) {
        throw new IllegalArgumentException("version must be positive: " + version.getAsLong());
      }
    }

    /** A removal without a version. */
    public Removed(String namespace, String uid, String service, Duration delay) {
      this(namespace, uid, service, delay, OptionalLong.empty());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Removed r
          && Objects.equals(namespace, r.namespace)
          && Objects.equals(uid, r.uid)
          && Objects.equals(service, r.service)
          && Objects.equals(delay, r.delay);
    }

    @Override
    public int hashCode() {
      return Objects.hash(namespace, uid, service, delay);
    }
  }

  /** Listening: every change from here on will be reported (also sent after a reconnect). */
  record Subscribed(String namespace) implements LinkEvent {}

  /**
   * Not listening any more (connection lost), or changes may have been lost (see the interface):
   * changes may be missed until {@link Subscribed}.
   */
  record Unsubscribed(String namespace, String reason) implements LinkEvent {}
}
