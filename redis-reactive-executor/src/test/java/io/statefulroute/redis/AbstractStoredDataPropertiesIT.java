package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.PodState;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.spi.StateCodec;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.redis.Poll;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Property tests on a real Redis (seeded random inputs, {@link RandomInputs}): values round-trip
 * exactly, and corrupt stored data (garbage values, foreign types, huge hashes) gives typed errors
 * or skipped-and-counted fields, never overwrites valid data, and never stops the refresh loop. The
 * contract suite covers the fixed cases; these add random and large ones.
 */
abstract class AbstractStoredDataPropertiesIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final KeySchema keys = KeySchema.defaults();
  private String run;

  abstract RedisContractTarget target();

  @BeforeEach
  void uniqueRun() {
    run = RedisServers.uniqueNamespace();
  }

  private StatefulExecutor executor() {
    return target().executors(1).get(0);
  }

  @Test
  void randomLinks_roundTripExactly_throughEveryRead() {
    RandomInputs in = new RandomInputs(11);
    List<String> namespaces =
        IntStream.range(0, 4).mapToObj(i -> run + in.name()).collect(Collectors.toList());
    List<String> services =
        IntStream.range(0, 4).mapToObj(i -> in.name()).collect(Collectors.toList());
    record Link(String ns, String uid, String svc, int pod, long ttl) {}
    Map<List<String>, Link> links = new LinkedHashMap<>();
    for (int i = 0; i < 1500; i++) {
      Link l =
          new Link(
              namespaces.get(in.random().nextInt(4)),
              in.uid(),
              services.get(in.random().nextInt(4)),
              in.pod(),
              in.ttl());
      links.put(List.of(l.ns(), l.uid(), l.svc()), l); // a repeated triple: the last one wins
    }
    Flux.fromIterable(links.values())
        .concatMap(l -> executor().setLink(l.ns(), l.uid(), l.svc(), l.pod(), l.ttl()))
        .blockLast(WAIT);
    for (Link l : links.values()) {
      String context = "seed " + RandomInputs.SEED + ", " + l;
      assertThat(executor().getLink(l.ns(), l.uid(), l.svc()).block(WAIT))
          .as(context)
          .isEqualTo(l.pod());
      Map<String, Integer> index = executor().getLinkIndex(l.ns(), l.uid()).block(WAIT);
      long pttl = target().raw().pttl(keys.link(l.ns(), l.uid(), l.svc()));
      if (l.ttl() == StatefulExecutor.PERSISTENT) {
        assertThat(index).as(context).containsEntry(l.svc(), l.pod());
        assertThat(pttl).as(context).isEqualTo(-1);
      } else {
        assertThat(index).as(context).doesNotContainKey(l.svc());
        assertThat(pttl).as(context).isBetween(1L, l.ttl() * 1000);
      }
    }
    for (String ns : namespaces) {
      for (String svc : services) {
        Map<String, Integer> expected =
            links.values().stream()
                .filter(l -> l.ns().equals(ns) && l.svc().equals(svc))
                .collect(Collectors.toMap(Link::uid, Link::pod));
        assertThat(executor().batchGetLinks(ns, expected.keySet(), svc).block(WAIT))
            .isEqualTo(expected);
      }
    }
  }

  @Test
  @SuppressWarnings("EnumOrdinal") // a random routing state: any index of values() will do
  void randomPodStates_andWorkloadValues_roundTripExactly() {
    RandomInputs in = new RandomInputs(12);
    String ns = run;
    Map<String, Map<Integer, PodStatus>> published = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      String svc = "s" + in.random().nextInt(5);
      PodStatus status =
          new PodStatus(
              in.pod(), in.pod(), RoutingState.values()[in.random().nextInt(3)], incarnation(in));
      executor().publishState(ns, svc, status, Duration.ofMinutes(5)).block(WAIT);
      published.computeIfAbsent(svc, k -> new HashMap<>()).put(status.pod(), status);
    }
    published.forEach(
        (svc, pods) -> {
          StateSnapshot snap = executor().readState(ns, svc).block(WAIT);
          assertThat(snap.malformedFields()).isZero();
          assertThat(snap.pods().keySet()).isEqualTo(pods.keySet());
          pods.forEach(
              (pod, status) -> {
                PodState read = snap.pods().get(pod);
                assertThat(new PodStatus(read.pod(), read.load(), read.state(), read.incarnation()))
                    .isEqualTo(status);
              });
        });

    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      String svc = in.name();
      String value =
          in.random().nextInt(20) == 0
              ? ""
              : in.text(in.random().nextInt(50) == 0 ? 65_536 : 1 + in.random().nextInt(64));
      executor().setWorkloadState(ns, svc, value).block(WAIT);
      values.put(svc, value);
    }
    values.forEach(
        (svc, value) ->
            assertThat(executor().getWorkloadState(ns, svc).block(WAIT)).isEqualTo(value));
    assertThat(executor().batchGetWorkloadStates(ns, values.keySet()).block(WAIT))
        .isEqualTo(values);
  }

  @Test
  void randomGarbageLinkValues_typedErrorsSkippedAndCounted_neverOverwritten() {
    RandomInputs in = new RandomInputs(13);
    String ns = run;
    List<String> garbage =
        new ArrayList<>(
            List.of(
                "",
                "-1",
                "1.0",
                " 1",
                "1 ",
                "+1",
                "0x1",
                "2147483648",
                "99999999999",
                "١",
                "１",
                "1|2",
                "nil",
                "\u0000"));
    while (garbage.size() < 200) {
      String g = in.text(1 + in.random().nextInt(in.random().nextInt(10) == 0 ? 100_000 : 12));
      if (StateCodec.parseNonNegativeInt(g) < 0) {
        garbage.add(g);
      }
    }
    List<String> uids = new ArrayList<>();
    for (int i = 0; i < garbage.size(); i++) {
      uids.add("g" + i);
      target().raw().set(keys.link(ns, "g" + i, "svc"), garbage.get(i));
    }
    executor().setLink(ns, "valid", "svc", 7, -1).block(WAIT);
    for (int i = 0; i < garbage.size(); i++) {
      String uid = uids.get(i);
      StepVerifier.create(executor().getLink(ns, uid, "svc"))
          .expectError(CorruptDataException.class)
          .verify(WAIT);
      StepVerifier.create(executor().setLinkIfAbsent(ns, uid, "svc", 1, 60))
          .expectError(CorruptDataException.class)
          .verify(WAIT);
      StepVerifier.create(executor().removeLinkIfOwner(ns, uid, "svc", 1, Duration.ZERO))
          .expectError(CorruptDataException.class)
          .verify(WAIT);
      assertThat(target().raw().get(keys.link(ns, uid, "svc")))
          .as("garbage %d untouched", i)
          .isEqualTo(garbage.get(i));
    }
    long before = executor().corruptValuesSkipped();
    List<String> all = new ArrayList<>(uids);
    all.add("valid");
    assertThat(executor().batchGetLinks(ns, all, "svc").block(WAIT))
        .containsExactly(Map.entry("valid", 7));
    assertThat(executor().corruptValuesSkipped() - before).isEqualTo(garbage.size());
  }

  @Test
  void hugeHashes_garbageFieldsSkippedAndCounted_publishingKeepsEveryField() {
    String ns = run;
    String stateKey = keys.state(ns, "svc");
    int garbageFields = 50_000;
    writeFields(stateKey, garbageFields, i -> "junk" + i, i -> "1|" + i + "|R|");
    for (int pod = 0; pod < 3; pod++) {
      executor()
          .publishState(
              ns,
              "svc",
              new PodStatus(pod, pod, RoutingState.READY, "i" + pod),
              Duration.ofMinutes(1))
          .block(WAIT);
    }
    StateSnapshot snap = executor().readState(ns, "svc").block(WAIT);
    assertThat(snap.pods()).containsOnlyKeys(0, 1, 2);
    assertThat(snap.malformedFields()).isEqualTo(garbageFields);
    assertThat(target().raw().hlen(stateKey)).isEqualTo(garbageFields + 3);

    String indexKey = keys.linkIndex(ns, "owner");
    writeFields(indexKey, 20_000, i -> "svc" + i, i -> "pod-" + i);
    executor().setLink(ns, "owner", "real", 4, -1).block(WAIT);
    long before = executor().corruptValuesSkipped();
    assertThat(executor().getLinkIndex(ns, "owner").block(WAIT))
        .containsExactly(Map.entry("real", 4));
    assertThat(executor().corruptValuesSkipped() - before).isEqualTo(20_000);
    assertThat(target().raw().hlen(indexKey)).isEqualTo(20_001);
    assertThat(target().raw().hget(indexKey, "svc7")).isEqualTo("pod-7");
  }

  @Test
  void randomlyTruncatedStateRecords_skippedAndCounted_validOnesRead() {
    RandomInputs in = new RandomInputs(14);
    String ns = run;
    String key = keys.state(ns, "svc");
    executor()
        .publishState(
            ns, "svc", new PodStatus(0, 3, RoutingState.READY, "inc-0"), Duration.ofMinutes(1))
        .block(WAIT);
    String record = target().raw().hget(key, "0");
    int malformed = 0;
    Set<Integer> valid = new HashSet<>(List.of(0));
    for (int pod = 1; pod <= 300; pod++) {
      String truncated = record.substring(0, in.random().nextInt(record.length()));
      target().raw().hset(key, Integer.toString(pod), truncated);
      if (StateCodec.decode(Integer.toString(pod), truncated) == null) {
        malformed++;
      } else {
        valid.add(pod); // e.g. a shorter incarnation is still a record
      }
    }
    StateSnapshot snap = executor().readState(ns, "svc").block(WAIT);
    assertThat(snap.malformedFields()).isEqualTo(malformed).isPositive();
    assertThat(snap.pods().keySet()).isEqualTo(valid);
    assertThat(snap.pods().get(0).incarnation()).isEqualTo("inc-0");
  }

  @Test
  void corruptIndexEntries_linkWritesOfOtherServices_leaveThemAndValidLinksAlone() {
    String ns = run;
    executor().setLink(ns, "u", "a", 1, -1).block(WAIT);
    target().raw().hset(keys.linkIndex(ns, "u"), "junk", "not-a-pod");
    executor().setLink(ns, "u", "b", 2, -1).block(WAIT);
    executor().claimLink(ns, "u", "c", 3, -1).block(WAIT);
    executor().removeLink(ns, "u", "b", Duration.ZERO).block(WAIT);
    assertThat(target().raw().hgetall(keys.linkIndex(ns, "u")))
        .containsOnly(Map.entry("a", "1"), Map.entry("junk", "not-a-pod"), Map.entry("c", "3"));
    assertThat(executor().getLink(ns, "u", "a").block(WAIT)).isEqualTo(1);
  }

  @Test
  void stateKeyOfForeignType_refreshLoopCountsFailures_keepsLastView_andRecovers() {
    String ns = run;
    executor()
        .publishState(
            ns, "svc", new PodStatus(0, 0, RoutingState.READY, "a"), Duration.ofMinutes(1))
        .block(WAIT);
    try (ServiceStateCache states =
        ServiceStateCache.create(
            executor(),
            StateCacheOptions.builder()
                .refreshPeriod(Duration.ofMillis(100))
                .stateExpiry(Duration.ofSeconds(30))
                .build())) {
      assertThat(states.view(ns, "svc").block(WAIT).isFresh(0)).isTrue();
      String key = keys.state(ns, "svc");
      target().raw().del(key);
      target().raw().set(key, "a string where a hash belongs");
      long failures = states.refreshFailures();
      Poll.until(WAIT, "refresh failures counted", () -> states.refreshFailures() > failures + 3);
      assertThat(states.peek(ns, "svc").isFresh(0)).as("the last good view is kept").isTrue();
      target().raw().del(key);
      executor()
          .publishState(
              ns, "svc", new PodStatus(1, 0, RoutingState.READY, "b"), Duration.ofMinutes(1))
          .block(WAIT);
      Poll.until(
          WAIT,
          "the loop to read the repaired key",
          () -> states.peek(ns, "svc").pods().containsKey(1));
    }
  }

  private void writeFields(
      String key, int n, IntFunction<String> field, IntFunction<String> value) {
    Flux.range(0, n)
        .buffer(5000)
        .concatMap(
            chunk ->
                Mono.fromRunnable(
                    () -> {
                      Map<String, String> m = new HashMap<>();
                      chunk.forEach(i -> m.put(field.apply(i), value.apply(i)));
                      target().raw().hset(key, m);
                    }))
        .blockLast(WAIT);
  }

  private static String incarnation(RandomInputs in) {
    String raw = in.text(1 + in.random().nextInt(64));
    StringBuilder sb = new StringBuilder();
    raw.codePoints()
        .filter(cp -> cp != '|' && !Character.isISOControl(cp))
        .forEach(sb::appendCodePoint);
    return sb.length() == 0 ? "x" : sb.toString();
  }
}
