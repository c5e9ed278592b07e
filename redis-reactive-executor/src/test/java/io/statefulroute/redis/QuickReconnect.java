package io.statefulroute.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Lettuce resources docs/failure-model.md recommends for fault tolerance: reconnect attempts
 * back off from 10 ms to at most {@link #MAX_RECONNECT_DELAY} (Lettuce's default grows to 30 s, so
 * a client could stay away for half a minute after Redis returned), and small fixed thread pools.
 */
final class QuickReconnect {
  static final Duration MAX_RECONNECT_DELAY = Duration.ofMillis(200);

  private QuickReconnect() {}

  static ClientResources resources() {
    return ClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .reconnectDelay(
            Delay.exponential(Duration.ofMillis(10), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
        .build();
  }
}
