package io.statefulroute.redis;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.test.contract.StatefulExecutorContract;
import io.statefulroute.test.redis.RealTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** The executor contract on a real Redis; time passes for real (short TTLs and delays). */
abstract class AbstractRedisContractIT extends StatefulExecutorContract {

  protected abstract RedisContractTarget target();

  @Override
  protected StatefulExecutor executor() {
    return target().executors(1).get(0);
  }

  @Override
  protected List<StatefulExecutor> executors(int n) {
    return target().executors(n);
  }

  @Override
  protected void advance(Duration d) {
    RealTime.pass(d); // Redis expires keys on its own clock
  }

  @Override
  protected long pttl(String key) {
    return target().raw().pttl(key);
  }

  @Override
  protected void writeRawString(String key, String value) {
    target().raw().set(key, value);
  }

  @Override
  protected void writeRawHashField(String key, String field, String value) {
    target().raw().hset(key, field, value);
  }

  /**
   * Found by the link invariant properties' review of the scripts: in a lease's last millisecond
   * Redis still holds the key while PTTL answers 0, and the removal marker's {@code SET ... PX 0}
   * was refused, so a delayed removal failed with a ScriptException. Calls in a tight loop land in
   * that millisecond.
   */
  @Test
  void removeLink_delayedInTheLeasesLastMillisecond_succeeds() {
    StatefulExecutor ex = executor();
    ex.setLink(ns, "last-ms", SVC, 1, 1).block(Duration.ofSeconds(5));
    long deadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
    int calls = 0;
    while (System.nanoTime() < deadline
        && ex.getLink(ns, "last-ms", SVC).block(Duration.ofSeconds(5)) != null) {
      ex.removeLink(ns, "last-ms", SVC, Duration.ofSeconds(60)).block(Duration.ofSeconds(5));
      calls++;
    }
    Assertions.assertThat(calls).isPositive();
    Assertions.assertThat(ex.getLink(ns, "last-ms", SVC).block(Duration.ofSeconds(5)))
        .as("gone when its lease ended")
        .isNull();
  }

  /**
   * A listing walks the key space in SCAN steps of batchSize keys: with a small batchSize it takes
   * many steps (on a cluster, on every master), and still lists every link exactly.
   */
  @Test
  void listPersistentLinks_smallScanCount_takesManyStepsAndListsEveryLink() {
    RedisStatefulExecutor small =
        target()
            .otherExecutor(
                RedisExecutorOptions.builder().batchSize(10).batchConcurrency(2).build());
    List<String> owned = IntStream.range(0, 500).mapToObj(i -> "own-" + i).toList();
    Flux.fromIterable(owned)
        .flatMap(u -> executor().setLink(ns, u, SVC, 7, P), 64)
        .blockLast(Duration.ofSeconds(30));
    long scansBefore = target().scanCalls();
    Assertions.assertThat(listed(small, ns, SVC, 7)).containsExactlyInAnyOrderElementsOf(owned);
    // 500 index keys (and whatever else the server holds) at COUNT 10: at least 50 steps
    Assertions.assertThat(target().scanCalls() - scansBefore).isGreaterThanOrEqualTo(50);
  }

  @Override
  protected void flushScripts() {
    target().flushScripts();
  }
}
