package io.statefulroute.redis.internal;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.scheduler.Scheduler;

/**
 * The Redis executor's own command connections and the {@link CommandFlusher} over them (and the
 * {@link DirectCommands} that share its slots): a direct (auto-flushing) connection for lone
 * commands and, when flushes are coalesced, a buffered one; opened at once, closed together.
 *
 * <p>Internal, not API: may change.
 */
public final class CommandConnections implements AutoCloseable {
  /** How many command timeouts an unanswered command may stay outstanding (see constructor). */
  private static final int OUTSTANDING_FACTOR = 10;

  private final StatefulConnection<String, String> direct;
  private final List<StatefulConnection<String, String>> connections;
  private final CommandFlusher<RedisClusterReactiveCommands<String, String>> flusher;
  private final DirectCommands directCommands;

  /**
   * Opens the connections with {@code connect}. Every call is bounded by a Reactor timeout
   * scheduled on {@code timeouts} (Lettuce's hashed-wheel timer: cheap, see WheelTimerScheduler).
   * Not by Lettuce's own command timeout: when the caller stops waiting, the command stays
   * outstanding until its reply or the connection's reset, and holds its in-flight slot until then
   * (CommandFlusher); Lettuce's timeout would free it while the command still waits in Redis's
   * input, so a stall would let the queue grow with rate x duration. Where the client applies the
   * connection's timeout to commands ({@code lettuceTimeouts}), it is set to OUTSTANDING_FACTOR x
   * {@code timeout}: the bound of a command nobody answers (a black-holed connection), after which
   * Lettuce fails it and the slot is free.
   */
  public CommandConnections(
      Supplier<StatefulConnection<String, String>> connect,
      Function<StatefulConnection<String, String>, RedisClusterReactiveCommands<String, String>>
          reactive,
      boolean lettuceTimeouts,
      boolean coalesceFlushes,
      int maxCommandsPerFlush,
      int maxInFlight,
      EventExecutor flushExecutor,
      Scheduler timeouts,
      Duration timeout) {
    this.direct = connect.get();
    StatefulConnection<String, String> buffered = coalesceFlushes ? connect.get() : null;
    this.connections = buffered == null ? List.of(direct) : List.of(direct, buffered);
    if (lettuceTimeouts) {
      connections.forEach(c -> c.setTimeout(timeout.multipliedBy(OUTSTANDING_FACTOR)));
    }
    this.flusher =
        new CommandFlusher<>(
            reactive.apply(direct),
            buffered,
            buffered == null ? null : reactive.apply(buffered),
            coalesceFlushes,
            maxCommandsPerFlush,
            maxInFlight,
            flushExecutor,
            timeouts,
            timeout.multipliedBy(OUTSTANDING_FACTOR));
    this.directCommands =
        new DirectCommands(
            flusher, direct, buffered, timeouts, timeout, timeout.multipliedBy(OUTSTANDING_FACTOR));
  }

  /** The auto-flushing connection. */
  public StatefulConnection<String, String> direct() {
    return direct;
  }

  public CommandFlusher<RedisClusterReactiveCommands<String, String>> flusher() {
    return flusher;
  }

  /** One-reply commands sent straight to Lettuce over the same connections and slots. */
  public DirectCommands directCommands() {
    return directCommands;
  }

  /** Closes the flusher, then the connections. */
  @Override
  public void close() {
    flusher.close();
    connections.forEach(StatefulConnection::close);
  }
}
