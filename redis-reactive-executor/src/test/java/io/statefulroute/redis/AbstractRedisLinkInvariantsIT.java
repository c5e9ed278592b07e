package io.statefulroute.redis;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.test.contract.LinkInvariantsProperties;
import io.statefulroute.test.redis.RealTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The link invariants on a real Redis: time passes for real, so sequences are short, tries few, and
 * the model allows {@link #TOLERANCE_MS} either side of every expiry. Each step picks one of three
 * executors, each on its own connection.
 */
abstract class AbstractRedisLinkInvariantsIT extends LinkInvariantsProperties {
  static final long TOLERANCE_MS = 100;
  static final int TRIES = 30;

  /** Re-runs spent on shrinking a failure (each takes seconds of real time). */
  static final int SHRINK_ATTEMPTS = 40;

  protected abstract RedisContractTarget target();

  @Test
  void linkOperations_randomSequences_keepTheInvariants() {
    checkRandomSequences(TRIES, SHRINK_ATTEMPTS);
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
  protected long nowMillis() {
    return System.nanoTime() / 1_000_000;
  }

  @Override
  protected long toleranceMillis() {
    return TOLERANCE_MS;
  }

  @Override
  protected int maxSteps() {
    return 20;
  }
}
