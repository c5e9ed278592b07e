package io.statefulroute.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.StatefulExecutor;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import reactor.test.StepVerifier;

/**
 * The part of the executor contract on bad arguments, corrupt stored data and a flushed script
 * cache. It is one link of a chain of abstract classes, one concern each; extend {@link
 * StatefulExecutorContract}, which runs them all.
 */
public abstract class BadInputContract extends OperatorContract {
  // --------------------------------------------------------------------------- bad input

  @Test
  void badArguments_throwBeforeAnyIoAndLeaveStoredDataIntact() {
    StatefulExecutor ex = executor();
    await(ex.setLink(ns, "u1", SVC, 5, P));
    List<Executable> calls =
        List.of(
            () -> ex.setLink(null, "u1", SVC, 1, P),
            () -> ex.setLink("", "u1", SVC, 1, P),
            () -> ex.setLink(ns, null, SVC, 1, P),
            () -> ex.setLink(ns, "", SVC, 1, P),
            () -> ex.setLink(ns, "u1", null, 1, P),
            () -> ex.setLink(ns, "u1", "", 1, P),
            () -> ex.setLink(ns, "u1", SVC, -1, P),
            () -> ex.setLink(ns, "u1", SVC, 1, 0),
            () -> ex.setLink(ns, "u1", SVC, 1, -2),
            () -> ex.setLinkIfAbsent(ns, "u1", SVC, 1, 0),
            () -> ex.setLinkIfAbsent(ns, "u1", SVC, -3, P),
            () -> ex.setLinkIfAbsent(ns, "u1", SVC, 1, -7),
            () -> ex.claimLink(ns, "u1", SVC, -1, P),
            () -> ex.claimLink(ns, "u1", SVC, 1, 0),
            () -> ex.replaceLink(ns, "u1", SVC, -1, 1, P),
            () -> ex.replaceLink(ns, "u1", SVC, 1, -1, P),
            () -> ex.replaceLink(ns, "u1", SVC, 1, 2, 0),
            () -> ex.getLink(ns, "", SVC),
            () -> ex.getLinkIfPersistent(ns, "u1", ""),
            () -> ex.getLinkLease(ns, "", SVC),
            () -> ex.setLinkIfAbsentLease(ns, "u1", SVC, -1, P),
            () -> ex.setLinkIfAbsentLease(ns, "u1", SVC, 1, 0),
            () -> ex.getLinkLease(ns, "u1", null),
            () -> ex.getLinkIndex("", "u1"),
            () -> ex.batchGetLinks(ns, null, SVC),
            () -> ex.batchGetLinks(ns, List.of("a", ""), SVC),
            () -> ex.removeLink(ns, "u1", SVC, Duration.ofMillis(-1)),
            () -> ex.removeLink(ns, "u1", SVC, null),
            () -> ex.removeLinkIfOwner(ns, "u1", SVC, -1, NOW),
            () -> ex.publishState(ns, SVC, null, PRUNE),
            () -> ex.publishState(ns, SVC, new PodStatus(0, 0, RoutingState.READY, "a"), NOW),
            () -> ex.publishState(ns, "", new PodStatus(0, 0, RoutingState.READY, "a"), PRUNE),
            () -> ex.setWorkloadState(ns, SVC, null),
            () -> ex.getWorkloadState(null, SVC),
            () -> ex.batchGetWorkloadStates(ns, null),
            () -> ex.listPersistentLinks(null, SVC, 1),
            () -> ex.listPersistentLinks("", SVC, 1),
            () -> ex.listPersistentLinks("n".repeat(257), SVC, 1),
            () -> ex.listPersistentLinks(ns, null, 1),
            () -> ex.listPersistentLinks(ns, "", 1),
            () -> ex.listPersistentLinks(ns, SVC, -1),
            () -> ex.setLink(ns, "x".repeat(20_000), SVC, 1, P),
            () -> ex.setLink(ns, "bad\uD800surrogate", SVC, 1, P));
    for (Executable call : calls) {
      assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new PodStatus(-1, 0, RoutingState.READY, "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PodStatus(0, -1, RoutingState.READY, "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PodStatus(0, 0, RoutingState.READY, "a|b"))
        .isInstanceOf(IllegalArgumentException.class);
    StepVerifier.create(ex.getLink(ns, "u1", SVC)).expectNext(5).verifyComplete();
    assertThat(pttl(link("u1"))).isEqualTo(-1);
  }

  @Test
  void unusualUids_roundTripExactlyAndNeverCollide() {
    List<String> uids =
        List.of(
            "{",
            "}",
            "{a}",
            "a}b{",
            ":",
            "a:b",
            "%",
            "%7B",
            "%25",
            "sp ace",
            " ",
            "tab\tnl\n",
            "ünïcødé",
            "用户",
            "😀emoji",
            "{ns:uid}",
            "a%3Ab",
            "x".repeat(10_240),
            "y".repeat(10_239) + "é");
    Set<String> distinctKeys = new HashSet<>();
    for (int i = 0; i < uids.size(); i++) {
      distinctKeys.add(link(uids.get(i)));
      await(executor().setLink(ns, uids.get(i), SVC, i, P));
    }
    assertThat(distinctKeys).hasSize(uids.size());
    for (int i = 0; i < uids.size(); i++) {
      StepVerifier.create(executor().getLink(ns, uids.get(i), SVC)).expectNext(i).verifyComplete();
      assertThat(await(executor().getLinkIndex(ns, uids.get(i)))).containsOnly(Map.entry(SVC, i));
    }
    Map<String, Integer> batch = await(executor().batchGetLinks(ns, uids, SVC));
    assertThat(batch).hasSize(uids.size());
    for (int i = 0; i < uids.size(); i++) {
      assertThat(batch).containsEntry(uids.get(i), i);
    }
    // a service and namespace with separators are also escaped
    await(executor().setLink(ns + ":x", "u", "s{1}", 1, P));
    StepVerifier.create(executor().getLink(ns, "x:u", "s{1}")).verifyComplete();
    StepVerifier.create(executor().getLink(ns + ":x", "u", "s{1}")).expectNext(1).verifyComplete();
  }

  // ---------------------------------------------------------------------------- corrupt

  @Test
  void corruptLinkValue_typedErrorLeftUntouchedAndExecutorKeepsWorking() {
    writeRawString(link("bad"), "not-a-pod");
    StepVerifier.create(executor().getLink(ns, "bad", SVC))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().setLinkIfAbsent(ns, "bad", SVC, 1, 30))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().claimLink(ns, "bad", SVC, 1, 30))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().replaceLink(ns, "bad", SVC, 1, 2, 30))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().getLinkIfPersistent(ns, "bad", SVC))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().getLinkLease(ns, "bad", SVC))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().setLinkIfAbsentLease(ns, "bad", SVC, 1, 30))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().removeLinkIfOwner(ns, "bad", SVC, 1, NOW))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    assertThat(pttl(link("bad"))).isEqualTo(-1); // still there, untouched

    long before = executor().corruptValuesSkipped();
    await(executor().setLink(ns, "good", SVC, 2, P));
    assertThat(await(executor().batchGetLinks(ns, List.of("bad", "good"), SVC)))
        .containsOnly(Map.entry("good", 2));
    assertThat(executor().corruptValuesSkipped()).isEqualTo(before + 1);

    // an unconditional set repairs it; a removal clears it
    StepVerifier.create(executor().setLink(ns, "bad", SVC, 3, P)).verifyComplete();
    StepVerifier.create(executor().getLink(ns, "bad", SVC)).expectNext(3).verifyComplete();
  }

  @Test
  void wrongRedisTypeOnOurKeys_typedErrorAndNothingWritten() {
    writeRawHashField(link("h"), "f", "v"); // the link key holds a hash
    StepVerifier.create(executor().getLink(ns, "h", SVC))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().setLink(ns, "h", SVC, 1, P))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    assertThat(await(executor().getLinkIndex(ns, "h"))).isEmpty();
    assertThat(await(executor().batchGetLinks(ns, List.of("h"), SVC))).isEmpty();

    writeRawString(index("i"), "not-a-hash"); // the index key holds a string
    StepVerifier.create(executor().setLink(ns, "i", SVC, 1, P))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().getLink(ns, "i", SVC)).verifyComplete(); // nothing written
    StepVerifier.create(executor().setLink(ns, "i", SVC, 1, 30))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().getLink(ns, "i", SVC)).verifyComplete();

    writeRawString(keys.state(ns, SVC), "not-a-hash");
    StepVerifier.create(executor().readState(ns, SVC))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(
            executor().publishState(ns, SVC, new PodStatus(0, 0, RoutingState.READY, "a"), PRUNE))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));

    await(executor().setLink(ns, "fine", SVC, 4, P));
    StepVerifier.create(executor().getLink(ns, "fine", SVC)).expectNext(4).verifyComplete();
  }

  @Test
  void malformedStateFields_areSkippedAndCountedNotFatal() {
    await(executor().publishState(ns, SVC, new PodStatus(1, 4, RoutingState.READY, "a"), PRUNE));
    String key = keys.state(ns, SVC);
    writeRawHashField(key, "2", "garbage");
    writeRawHashField(key, "3", "1|5|R|123"); // truncated record
    writeRawHashField(key, "4", "1|-5|R|123|x"); // negative load
    writeRawHashField(key, "5", "1|5|Q|123|x"); // unknown state code
    writeRawHashField(key, "not-a-pod", "1|5|R|123|x");
    writeRawHashField(key, "6", "9|5|R|123|x"); // unknown version
    StateSnapshot snap = await(executor().readState(ns, SVC));
    assertThat(snap.pods()).containsOnlyKeys(1);
    assertThat(snap.malformedFields()).isEqualTo(6);
    // publishing still works and keeps the malformed fields for inspection
    await(executor().publishState(ns, SVC, new PodStatus(7, 0, RoutingState.READY, "b"), PRUNE));
    assertThat(await(executor().readState(ns, SVC)).pods()).containsOnlyKeys(1, 7);
  }

  // --------------------------------------------------------------------------- scripts

  @Test
  void scriptCacheFlushed_nextCallsStillSucceed() {
    await(executor().setLink(ns, "u1", SVC, 1, 30));
    flushScripts();
    StepVerifier.create(executor().setLinkIfAbsent(ns, "u1", SVC, 2, 30))
        .expectNext(1)
        .verifyComplete();
    flushScripts();
    StepVerifier.create(executor().claimLink(ns, "u2", SVC, 2, P))
        .expectNext(new ClaimResult(true, 2, Optional.empty()))
        .verifyComplete();
    flushScripts();
    assertThat(await(executor().readState(ns, SVC)).pods()).isEmpty();
  }
}
