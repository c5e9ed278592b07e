package io.statefulroute.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.test.LinkEventRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The part of the executor contract on the link-event stream. It is one link of a chain of abstract
 * classes, one concern each; extend {@link StatefulExecutorContract}, which runs them all.
 */
public abstract class LinkEventsContract extends ConcurrencyContract {
  // ----------------------------------------------------------------------------- link events

  @Test
  void linkEvents_delayedRemovalOfALinkExpiringSooner_announcesTheEffectiveDelay() {
    // review: the announcement carried the requested delay, longer than the link's life, so a
    // cache refilled meanwhile kept the link past its end
    try (LinkEventRecorder events = events(executor(), ns)) {
      await(executor().setLink(ns, "soon", SVC, 3, 2));
      events.expect(new LinkEvent.Linked(ns, "soon", SVC, 3));
      await(executor().removeLink(ns, "soon", SVC, Duration.ofSeconds(60)));
      LinkEvent e = events.next();
      assertThat(e).isInstanceOf(LinkEvent.Removed.class);
      assertThat(((LinkEvent.Removed) e).delay())
          .isBetween(Duration.ofMillis(1), Duration.ofSeconds(2));
    }
  }

  @Test
  void linkEvents_everyMutationIsAnnouncedInOrderToEverySubscriber() {
    List<StatefulExecutor> clients = executors(2);
    try (LinkEventRecorder a = events(clients.get(0), ns);
        LinkEventRecorder b = events(clients.get(1), ns)) {
      StatefulExecutor writer = executor();
      await(writer.setLinkIfAbsent(ns, "u1", SVC, 1, 60)); // creation: not announced
      await(writer.setLinkIfAbsent(ns, "u1", SVC, 2, 60)); // refresh: not announced
      await(writer.setLink(ns, "u1", SVC, 1, 60)); // same pod: not announced
      await(writer.setLink(ns, "u1", SVC, 3, P));
      await(writer.claimLink(ns, "u1", SVC, 4, P)); // refused: not announced
      await(writer.claimLink(ns, "u2", SVC, 4, 60));
      await(writer.replaceLink(ns, "u2", SVC, 4, 5, 60));
      await(writer.replaceLink(ns, "u2", SVC, 4, 6, 60)); // refused: not announced
      await(writer.removeLinkIfOwner(ns, "u2", SVC, 9, NOW)); // not the owner: not announced
      await(writer.removeLinkIfOwner(ns, "u2", SVC, 5, Duration.ofSeconds(30)));
      await(writer.removeLink(ns, "u1", SVC, NOW));
      await(writer.removeLink(ns, "u1", SVC, NOW)); // nothing there: not announced
      await(writer.setLink(ns, "last", SVC, 7, 60));
      List<LinkEvent> expected =
          List.of(
              new LinkEvent.Linked(ns, "u1", SVC, 3),
              new LinkEvent.Linked(ns, "u2", SVC, 4),
              new LinkEvent.Linked(ns, "u2", SVC, 5),
              new LinkEvent.Removed(ns, "u2", SVC, Duration.ofSeconds(30)),
              new LinkEvent.Removed(ns, "u1", SVC, NOW),
              new LinkEvent.Linked(ns, "last", SVC, 7));
      for (LinkEventRecorder events : List.of(a, b)) {
        List<LinkEvent> seen = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
          seen.add(events.next());
        }
        // the changes of one uid arrive in order; on a cluster, those of uids on different
        // nodes may interleave differently
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
        for (String uid : List.of("u1", "u2", "last")) {
          assertThat(ofUid(seen, uid)).containsExactlyElementsOf(ofUid(expected, uid));
        }
      }
      advance(Duration.ofMillis(200));
      assertThat(a.pending()).as("nothing else announced").isEmpty();
    }
  }

  @Test
  void linkEvents_successiveChangesOfOneUid_carryIncreasingVersions() {
    // issue 10: across a failover one uid's announcements come from different nodes, and a
    // cache must be able to tell an older one from a newer one
    List<StatefulExecutor> writers = executors(2);
    try (LinkEventRecorder events = events(executor(), ns)) {
      await(writers.get(0).setLink(ns, "u", SVC, 1, 60));
      await(writers.get(1).setLink(ns, "u", SVC, 2, 60));
      await(writers.get(0).claimLink(ns, "u", SVC, 3, P));
      await(writers.get(1).removeLink(ns, "u", SVC, Duration.ofSeconds(30)));
      await(writers.get(0).replaceLink(ns, "u", SVC, 3, 4, 60));
      await(writers.get(1).removeLinkIfOwner(ns, "u", SVC, 4, NOW));
      await(writers.get(0).setLink(ns, "u", SVC, 5, 60));
      await(writers.get(1).removeLink(ns, "u", SVC, NOW));
      List<Long> versions = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        LinkEvent e = events.next();
        versions.add(
            e instanceof LinkEvent.Linked l
                ? l.version().orElseThrow()
                : ((LinkEvent.Removed) e).version().orElseThrow());
      }
      assertThat(versions)
          .as("versions in arrival order")
          .isSorted()
          .doesNotHaveDuplicates()
          .allSatisfy(v -> assertThat(v).isPositive());
    }
  }

  @Test
  void linkEvents_unusualUidsAndServicesArriveExactly_otherNamespacesDoNot() {
    List<String> uids = List.of("a:b", "{x}", "%25", "tab\tnl\n", "用户😀", "y".repeat(5_000));
    try (LinkEventRecorder events = events(executor(), ns)) {
      await(executor().setLink(ns + ":other", "u", SVC, 1, 60));
      await(executor().setLink(ns + "x", "u", SVC, 1, 60));
      for (int i = 0; i < uids.size(); i++) {
        await(executor().setLink(ns, uids.get(i), "s:{" + i + "}", i, 60));
      }
      List<LinkEvent> seen = new ArrayList<>();
      List<LinkEvent> expected = new ArrayList<>();
      for (int i = 0; i < uids.size(); i++) {
        seen.add(events.next());
        expected.add(new LinkEvent.Linked(ns, uids.get(i), "s:{" + i + "}", i));
      }
      assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static List<LinkEvent> ofUid(List<LinkEvent> events, String uid) {
    return events.stream()
        .filter(
            e ->
                e instanceof LinkEvent.Linked l
                    ? l.uid().equals(uid)
                    : e instanceof LinkEvent.Removed r && r.uid().equals(uid))
        .toList();
  }

  @Test
  void linkEvents_badNamespace_throwsAtOnce() {
    assertThatThrownBy(() -> executor().linkEvents(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> executor().linkEvents(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
