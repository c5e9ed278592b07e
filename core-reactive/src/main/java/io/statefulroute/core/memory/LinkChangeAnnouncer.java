package io.statefulroute.core.memory;

import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.spi.LinkEventHub;
import java.time.Duration;
import java.util.OptionalLong;
import reactor.core.publisher.Flux;

/**
 * The link events of an in-memory executor: its link writes announce their changes here, under the
 * executor's lock, and an in-process {@link LinkEventHub} delivers them at once to the namespace's
 * subscribers. Each announcement carries a version above the previous one.
 */
final class LinkChangeAnnouncer implements AutoCloseable {
  private final InMemoryStore store;
  private final LinkEventHub linkEvents = LinkEventHub.inProcess();

  /** The version of the last announcement (under the lock); see {@link #nextVersion}. */
  private long lastVersion;

  LinkChangeAnnouncer(InMemoryStore store) {
    this.store = store;
  }

  /** The namespace's link events (see {@code InMemoryStatefulExecutor.linkEvents}). */
  Flux<LinkEvent> events(String ns) {
    return linkEvents.events(ns);
  }

  void announceLinked(String ns, String uid, String service, int pod) {
    linkEvents.deliver(new LinkEvent.Linked(ns, uid, service, pod, OptionalLong.of(nextVersion())));
  }

  void announceRemoved(String ns, String uid, String service, long effectiveMillis) {
    linkEvents.deliver(
        new LinkEvent.Removed(
            ns, uid, service, Duration.ofMillis(effectiveMillis), OptionalLong.of(nextVersion())));
  }

  /**
   * The version of an announcement made now (under the lock): the store's clock in microseconds, as
   * the Redis scripts take it from {@code TIME}, and always above the previous one, so
   * announcements are strictly ordered even within one millisecond of the clock (and a store made
   * afresh on the same clock goes on from about where the previous one was).
   */
  private long nextVersion() {
    lastVersion = Math.max(lastVersion + 1, Math.max(1, store.now() * 1000));
    return lastVersion;
  }

  @Override
  public void close() {
    linkEvents.close();
  }
}
