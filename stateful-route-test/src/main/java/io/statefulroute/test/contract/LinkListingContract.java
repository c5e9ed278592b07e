package io.statefulroute.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.StatefulExecutor;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The part of the executor contract on listing a pod's persistent links and batch reads. It is one
 * link of a chain of abstract classes, one concern each; extend {@link StatefulExecutorContract},
 * which runs them all.
 */
public abstract class LinkListingContract extends LinkRemovalContract {
  // ----------------------------------------------------------------------------- listing

  /** Every uid the listing emits, as a set (a Redis SCAN may return a key twice). */
  protected Set<String> listed(StatefulExecutor ex, String namespace, String service, int pod) {
    List<String> uids =
        ex.listPersistentLinks(namespace, service, pod).collectList().block(Duration.ofSeconds(60));
    return new HashSet<>(uids);
  }

  @Test
  void listPersistentLinks_listsExactlyThePodsPersistentLinksOfThatServiceAndNamespace() {
    List<String> owned = List.of("a", "b", "{x}:y%", "用户", "tab\t", "z".repeat(5_000));
    for (String uid : owned) {
      await(executor().setLink(ns, uid, SVC, 3, P));
    }
    await(executor().setLink(ns, "a", "chat", 3, P)); // a second service: still listed once
    await(executor().setLink(ns, "temporary", SVC, 3, 60));
    await(executor().setLink(ns, "other-pod", SVC, 4, P));
    await(executor().setLink(ns, "other-service", "chat", 3, P));
    await(executor().setLink(ns, "made-temporary", SVC, 3, P));
    await(executor().setLink(ns, "made-temporary", SVC, 3, 60));
    await(executor().setLink(ns, "leaving", SVC, 3, P));
    await(executor().removeLink(ns, "leaving", SVC, Duration.ofSeconds(60))); // delayed removal
    await(executor().setLink(ns, "removed", SVC, 3, P));
    await(executor().removeLinkIfOwner(ns, "removed", SVC, 3, NOW));
    for (String other : List.of(ns + "x", ns + ":x", "x" + ns, ns.substring(0, 5))) {
      await(executor().setLink(other, "foreign", SVC, 3, P));
    }
    await(executor().setLink(ns, "x:foreign", SVC, 4, P)); // the uid a ':x' namespace would need
    flushScripts(); // the per-uid reads survive NOSCRIPT

    assertThat(listed(executor(), ns, SVC, 3)).containsExactlyInAnyOrderElementsOf(owned);
    assertThat(listed(executor(), ns, "chat", 3)).containsExactlyInAnyOrder("a", "other-service");
    assertThat(listed(executor(), ns, SVC, 4)).containsExactlyInAnyOrder("other-pod", "x:foreign");
    assertThat(listed(executor(), ns + ":x", SVC, 3)).containsExactly("foreign");
    StepVerifier.create(executor().getLink(ns, "leaving", SVC)).expectNext(3).verifyComplete();
  }

  @Test
  void listPersistentLinks_namespacesWithGlobCharacters_matchOnlyThemselves() {
    List<String> namespaces =
        List.of(
            ns,
            ns + "*",
            ns + "?",
            ns + "[ab]",
            ns + "a",
            ns + "b",
            ns + "\\",
            ns + "\\*",
            ns + "[",
            ns + "]",
            ns + "^",
            ns + "%2A",
            "*",
            "?",
            "[" + ns + "]");
    for (String namespace : namespaces) {
      await(executor().setLink(namespace, "in " + namespace, SVC, 1, P));
    }
    for (String namespace : namespaces) {
      assertThat(listed(executor(), namespace, SVC, 1))
          .as("listing of namespace %s", namespace)
          .contains("in " + namespace)
          .allSatisfy(uid -> assertThat(uid).isEqualTo("in " + namespace));
    }
  }

  @Test
  void listPersistentLinks_nothingToList_completesEmpty() {
    StepVerifier.create(executor().listPersistentLinks(ns, SVC, 3)).verifyComplete();
    await(executor().setLink(ns, "u1", SVC, 2, P));
    await(executor().setLink(ns, "u2", SVC, 3, 30));
    StepVerifier.create(executor().listPersistentLinks(ns, SVC, 3)).verifyComplete();
    StepVerifier.create(executor().listPersistentLinks(ns, "other", 2)).verifyComplete();
  }

  @Test
  void listPersistentLinks_thousandsOfLinks_allListedAndOnlyThose() {
    List<String> owned = IntStream.range(0, 3000).mapToObj(i -> "own-" + i).toList();
    Flux.fromIterable(owned)
        .flatMap(u -> executor().setLink(ns, u, SVC, 2, P), 128)
        .blockLast(Duration.ofSeconds(60));
    Flux.range(0, 1000)
        .flatMap(
            i ->
                executor()
                    .setLink(ns, "tmp-" + i, SVC, 2, 60)
                    .then(executor().setLink(ns, "else-" + i, SVC, 5, P)),
            128)
        .blockLast(Duration.ofSeconds(60));
    assertThat(listed(executor(), ns, SVC, 2)).containsExactlyInAnyOrderElementsOf(owned);
    assertThat(listed(executor(), ns, SVC, 5)).hasSize(1000);
  }

  @Test
  void listPersistentLinks_corruptOrForeignValues_areSkippedCountedAndTheRestListed() {
    await(executor().setLink(ns, "good", SVC, 3, P));
    writeRawHashField(index("garbage"), SVC, "3"); // an index entry whose link is not a pod
    writeRawString(link("garbage"), "not-a-pod");
    writeRawHashField(index("hash"), SVC, "3"); // ... or is not a string
    writeRawHashField(link("hash"), "f", "v");
    writeRawHashField(index("stale"), SVC, "3"); // an index entry without a link
    writeRawString(index("string"), "an index that is not a hash"); // the link is what counts
    await(executor().setLink(ns, "string", SVC, 3, P).onErrorResume(e -> Mono.empty()));
    writeRawString(link("string"), "3");
    // keys the glob matches that no uid escapes to: ignored
    writeRawString(keys.prefix() + ":{" + ns + ":a}b}:lk", "x");
    writeRawString(keys.prefix() + ":{" + ns + ":%ZZ}:lk", "x");
    writeRawString(keys.prefix() + ":{" + ns + ":%61}:lk", "x");
    long before = executor().corruptValuesSkipped();
    assertThat(listed(executor(), ns, SVC, 3)).containsExactlyInAnyOrder("good", "string");
    assertThat(executor().corruptValuesSkipped()).isEqualTo(before + 2);
    assertThat(pttl(link("garbage"))).isEqualTo(-1); // left untouched
  }

  @Test
  void listPersistentLinks_thenOneReclaimedByALivePod_removeLinkIfOwnerLeavesItAlone() {
    for (String uid : List.of("a", "b", "c")) {
      await(executor().setLink(ns, uid, SVC, 3, P));
    }
    List<String> uids =
        executor().listPersistentLinks(ns, SVC, 3).collectList().block(Duration.ofSeconds(10));
    assertThat(new HashSet<>(uids)).containsExactlyInAnyOrder("a", "b", "c");
    await(executor().setLink(ns, "b", SVC, 1, P)); // pod 1 takes b between listing and release
    Map<String, Boolean> removed = new HashMap<>();
    for (String uid : new HashSet<>(uids)) {
      removed.put(uid, await(executor().removeLinkIfOwner(ns, uid, SVC, 3, NOW)));
    }
    assertThat(removed)
        .containsOnly(Map.entry("a", true), Map.entry("b", false), Map.entry("c", true));
    StepVerifier.create(executor().getLinkIfPersistent(ns, "b", SVC))
        .expectNext(1)
        .verifyComplete();
    assertThat(await(executor().getLinkIndex(ns, "b"))).containsOnly(Map.entry(SVC, 1));
    StepVerifier.create(executor().listPersistentLinks(ns, SVC, 3)).verifyComplete();
    assertThat(listed(executor(), ns, SVC, 1)).containsExactly("b");
  }

  // ------------------------------------------------------------------------------- batch

  @Test
  void batchGetLinks_manyUidsAcrossSlots_returnsExistingLinks() {
    List<String> uids =
        IntStream.range(0, 3000).mapToObj(i -> "user-" + i).collect(Collectors.toList());
    Flux.fromIterable(uids.subList(0, 2000))
        .flatMap(
            u -> executor().setLink(ns, u, SVC, u.hashCode() & 7, u.hashCode() % 2 == 0 ? P : 60),
            128)
        .blockLast(Duration.ofSeconds(60));
    Map<String, Integer> got = await(executor().batchGetLinks(ns, uids, SVC));
    assertThat(got).hasSize(2000);
    uids.subList(0, 2000).forEach(u -> assertThat(got).containsEntry(u, u.hashCode() & 7));
    assertThat(await(executor().batchGetLinks(ns, List.of(), SVC))).isEmpty();
  }
}
