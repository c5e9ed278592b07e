package io.statefulroute.redis;

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
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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

  @Override
  protected void flushScripts() {
    target().flushScripts();
  }
}
