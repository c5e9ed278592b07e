package io.statefulroute.redis;

import io.statefulroute.redis.testing.RealTime;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.contract.StatefulExecutorContract;
import java.time.Duration;
import java.util.List;

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
   * was refused, so a delayed removal failed with a ScriptException. Calls in a tight loop land
   * in that millisecond.
   */
  @org.junit.jupiter.api.Test
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
    org.assertj.core.api.Assertions.assertThat(calls).isPositive();
    org.assertj.core.api.Assertions.assertThat(ex.getLink(ns, "last-ms", SVC)
        .block(Duration.ofSeconds(5))).as("gone when its lease ended").isNull();
  }

  @Override
  protected void flushScripts() {
    target().flushScripts();
  }
}
