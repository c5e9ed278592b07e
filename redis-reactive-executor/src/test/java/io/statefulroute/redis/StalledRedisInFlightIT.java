package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.statefulroute.core.StoreOverloadedException;
import io.statefulroute.core.StoreTimeoutException;
import io.statefulroute.test.redis.Poll;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code maxInFlight} bounds the commands actually outstanding, not the callers still waiting: a
 * caller's timeout leaves its command in Redis's input, and the slot stays taken until the reply.
 * Under a constant load through a {@code DEBUG SLEEP}, Redis must therefore run at most {@code
 * maxInFlight} commands whose callers had already given up (counted from {@code INFO commandstats}:
 * GETs executed minus GETs answered in time).
 */
class StalledRedisInFlightIT {
  private static final Duration TIMEOUT = Duration.ofMillis(300);
  private static final int MAX_IN_FLIGHT = 50;
  private static final Pattern GET_CALLS = Pattern.compile("cmdstat_get:calls=(\\d+)");

  @Test
  void debugSleepUnderConstantLoad_atMostMaxInFlightCommandsRunLate() throws Exception {
    try (RedisProcess server = RedisServers.startStandalone("--enable-debug-command", "yes")) {
      RedisClient client = RedisClient.create(server.uri());
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client,
              RedisExecutorOptions.builder()
                  .commandTimeout(TIMEOUT)
                  .maxInFlight(MAX_IN_FLIGHT)
                  .build())) {
        String ns = RedisServers.uniqueNamespace();
        executor.setLink(ns, "u", "svc", 1, -1).block(Duration.ofSeconds(5));
        var admin = client.connect();
        admin.setTimeout(Duration.ofSeconds(10));
        long getsBefore = getCalls(admin.sync().info("commandstats"));

        LongAdder answered = new LongAdder();
        LongAdder timedOut = new LongAdder();
        LongAdder refused = new LongAdder();
        LongAdder other = new LongAdder();
        // a constant load: a GET every millisecond, each with its own timeout
        AtomicBoolean running = new AtomicBoolean(true);
        Disposable load =
            Flux.interval(Duration.ofMillis(1))
                .takeWhile(i -> running.get()) // stops issuing; calls in flight still end
                .flatMap(
                    i ->
                        executor
                            .getLink(ns, "u", "svc")
                            .doOnNext(p -> answered.increment())
                            .onErrorResume(
                                e -> {
                                  (e instanceof StoreOverloadedException
                                          ? refused
                                          : e instanceof StoreTimeoutException ? timedOut : other)
                                      .increment();
                                  return Mono.empty();
                                }),
                    10_000)
                .subscribe();
        Poll.until(Duration.ofSeconds(5), "some GETs answered", () -> answered.sum() > 100);

        var debug = client.connect();
        var probe = client.connect();
        debug.setTimeout(Duration.ofSeconds(10));
        CompletableFuture<String> sleep =
            debug
                .async()
                .dispatch(
                    CommandType.DEBUG,
                    new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(2))
                .toCompletableFuture();
        Poll.until(
            Duration.ofSeconds(5),
            "Redis to be in DEBUG SLEEP",
            () -> {
              try {
                probe.async().ping().get(50, TimeUnit.MILLISECONDS);
                return false;
              } catch (TimeoutException asleep) {
                return true;
              } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
              }
            });
        assertThat(sleep.get(10, TimeUnit.SECONDS)).isEqualTo("OK");
        long answeredAfterWake = answered.sum();
        Poll.until(
            Duration.ofSeconds(5),
            "GETs answered again after the sleep",
            () -> answered.sum() > answeredAfterWake + 100);
        running.set(false);
        Poll.until(Duration.ofSeconds(5), "the load to end", load::isDisposed);
        Poll.until(
            Duration.ofSeconds(5), "no command in flight", () -> executor.inFlightCommands() == 0);

        long executed = getCalls(admin.sync().info("commandstats")) - getsBefore;
        long late = executed - answered.sum();
        assertThat(timedOut.sum()).as("callers that timed out during the sleep").isPositive();
        assertThat(refused.sum())
            .as("calls refused while %d were outstanding", MAX_IN_FLIGHT)
            .isPositive();
        assertThat(other.sum()).as("other errors").isZero();
        assertThat(late)
            .as(
                "GETs Redis ran after their callers gave up (executed %d, answered %d,"
                    + " timed out %d, refused %d)",
                executed, answered.sum(), timedOut.sum(), refused.sum())
            .isLessThanOrEqualTo(MAX_IN_FLIGHT);
        debug.close();
        probe.close();
        admin.close();
      } finally {
        client.shutdown();
      }
    }
  }

  private static long getCalls(String info) {
    Matcher m = GET_CALLS.matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
