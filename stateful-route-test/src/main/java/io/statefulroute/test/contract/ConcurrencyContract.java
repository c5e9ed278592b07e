package io.statefulroute.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.StatefulExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The part of the executor contract on backpressure and concurrent callers. It is one link of a
 * chain of abstract classes, one concern each; extend {@link StatefulExecutorContract}, which runs
 * them all.
 */
public abstract class ConcurrencyContract extends BadInputContract {
  // --------------------------------------------------------------------- backpressure

  /**
   * Found by the listing (whose SCAN steps are subscribed before they are requested): the Redis
   * executor completed such a call empty when its reply came before the request, dropping the
   * value.
   */
  @Test
  void aSubscriberThatRequestsAfterTheReply_stillGetsTheValue() {
    await(executor().setLink(ns, "late", SVC, 3, P));
    StepVerifier.create(executor().getLink(ns, "late", SVC), 0)
        .expectSubscription()
        .thenAwait(Duration.ofMillis(300)) // the reply is in by then
        .thenRequest(1)
        .expectNext(3)
        .verifyComplete();
    StepVerifier.create(executor().getLinkIfPersistent(ns, "late", SVC), 0)
        .expectSubscription()
        .thenAwait(Duration.ofMillis(300))
        .thenRequest(1)
        .expectNext(3)
        .verifyComplete();
  }

  // ------------------------------------------------------------------------ concurrency

  @Test
  void setLinkIfAbsent_thousandConcurrentCallers_exactlyOneWinsAndAllSeeIt() {
    List<StatefulExecutor> clients = executors(4);
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    Flux.range(0, 1000)
        .flatMap(
            i ->
                clients
                    .get(i % clients.size())
                    .setLinkIfAbsent(ns, "contended", SVC, i % 10, 60)
                    .subscribeOn(Schedulers.parallel())
                    .doOnNext(seen::add),
            256)
        .blockLast(Duration.ofSeconds(60));
    assertThat(seen).hasSize(1000);
    Set<Integer> distinct = new HashSet<>(seen);
    assertThat(distinct).hasSize(1);
    StepVerifier.create(executor().getLink(ns, "contended", SVC))
        .expectNext(distinct.iterator().next())
        .verifyComplete();
  }

  @Test
  void manyUidsConcurrently_eachGetsOneConsistentPod() {
    List<StatefulExecutor> clients = executors(3);
    Map<String, Set<Integer>> seen = new HashMap<>();
    List<String> uids = IntStream.range(0, 300).mapToObj(i -> "c" + i).collect(Collectors.toList());
    List<Map.Entry<String, Integer>> results =
        Flux.range(0, 1500)
            .flatMap(
                i -> {
                  String uid = uids.get(i % uids.size());
                  return clients
                      .get(i % clients.size())
                      .setLinkIfAbsent(ns, uid, SVC, i % 5, 60)
                      .map(pod -> Map.entry(uid, pod));
                },
                128)
            .collectList()
            .block(Duration.ofSeconds(60));
    results.forEach(e -> seen.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
    assertThat(seen).hasSize(300);
    assertThat(seen.values()).allSatisfy(pods -> assertThat(pods).hasSize(1));
  }
}
