package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.statefulroute.test.redis.Poll;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;

/**
 * A call cancelled by its subscriber inside {@code onSubscribe} (before anything was sent) takes no
 * in-flight slot, gives none back and sends nothing: refused or not, the count of commands in
 * flight stays exact, so {@code maxInFlight} still bounds them afterwards.
 */
class DirectCancelIT {
  private static final Duration TIMEOUT = Duration.ofMillis(100);

  @Test
  void cancelledInOnSubscribe_whileTheLimitIsReached_inFlightCountStaysExact() throws Exception {
    try (RedisProcess server = RedisServers.startStandalone()) {
      RedisClient client = RedisClient.create(server.uri());
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client,
              RedisExecutorOptions.builder().commandTimeout(TIMEOUT).maxInFlight(1).build())) {
        String ns = RedisServers.uniqueNamespace();
        executor.setLink(ns, "u", "svc", 1, -1).block(Duration.ofSeconds(5));
        var admin = client.connect();
        // the one slot held by a GET that Redis answers only after the pause
        admin.sync().clientPause(500);
        Mono<Integer> held = executor.getLink(ns, "u", "svc").onErrorResume(e -> Mono.empty());
        var holder = held.subscribe();
        Poll.until(Duration.ofSeconds(5), "the slot taken", () -> executor.inFlightCommands() == 1);

        // a call cancelled as soon as it is subscribed, while the limit is reached
        executor.getLink(ns, "u", "svc").subscribe(new CancelAtOnce());
        executor.setLinkIfAbsent(ns, "v", "svc", 2, 60).subscribe(new CancelAtOnce());

        Poll.until(
            Duration.ofSeconds(5), "the held GET answered", () -> executor.inFlightCommands() == 0);
        // past the outstanding bound (10 command timeouts) of any call that stopped waiting
        Thread.sleep(TIMEOUT.multipliedBy(15).toMillis());
        assertThat(executor.inFlightCommands()).as("commands in flight").isZero();
        holder.dispose();
        admin.close();
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void cancelledInOnSubscribe_sendsNothing() throws Exception {
    try (RedisProcess server = RedisServers.startStandalone()) {
      RedisClient client = RedisClient.create(server.uri());
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client, RedisExecutorOptions.builder().commandTimeout(TIMEOUT).build())) {
        String ns = RedisServers.uniqueNamespace();
        executor.setLinkIfAbsent(ns, "u", "svc", 2, 60).subscribe(new CancelAtOnce());
        executor.setLink(ns, "v", "svc", 3, 60).subscribe(new CancelAtOnce());
        // a later call on the same connection is answered after any command sent before it
        assertThat(executor.setLink(ns, "w", "svc", 1, 60).block(Duration.ofSeconds(5))).isNull();
        assertThat(executor.getLink(ns, "u", "svc").block(Duration.ofSeconds(5))).isNull();
        assertThat(executor.getLink(ns, "v", "svc").block(Duration.ofSeconds(5))).isNull();
        assertThat(executor.inFlightCommands()).isZero();
      } finally {
        client.shutdown();
      }
    }
  }

  private static final class CancelAtOnce extends BaseSubscriber<Integer> {
    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      cancel();
    }
  }
}
