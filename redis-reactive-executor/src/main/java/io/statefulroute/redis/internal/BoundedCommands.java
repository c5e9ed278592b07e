package io.statefulroute.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.statefulroute.core.StatefulExecutor.Operation;
import java.time.Duration;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * How the Redis executor runs a command or a Lua script: through the {@link CommandFlusher},
 * bounded by the command timeout (a Reactor timeout on the given scheduler), with errors typed by
 * {@link ErrorTranslator} under the {@link Operation} that was called (named by its {@link
 * Operation#tag()}, e.g. {@code set_link_if_absent}), not the script that serves it. Scripts go by
 * EVALSHA, and once more by EVAL on {@link RedisNoScriptException} (a restarted or flushed node),
 * which also caches them.
 *
 * <p>Internal, not API: may change.
 */
public final class BoundedCommands {
  private final CommandFlusher<RedisClusterReactiveCommands<String, String>> flusher;
  private final Duration timeout;
  private final Scheduler timeouts;
  private final DirectCommands direct;

  public BoundedCommands(
      CommandFlusher<RedisClusterReactiveCommands<String, String>> flusher,
      Duration timeout,
      Scheduler timeouts,
      DirectCommands direct) {
    this.flusher = flusher;
    this.timeout = timeout;
    this.timeouts = timeouts;
    this.direct = direct;
  }

  /** The same rules for one-reply commands, without a reactive chain (see DirectCommands). */
  public DirectCommands direct() {
    return direct;
  }

  /** One command of {@code operation}, bounded and with typed errors. */
  public <T> Mono<T> command(
      Operation operation,
      Function<RedisClusterReactiveCommands<String, String>, ? extends Publisher<T>> command) {
    return bound(operation, flusher.execute(command));
  }

  /**
   * EVALSHA of {@code script} for {@code operation}, falling back once to EVAL on NOSCRIPT; bounded
   * and with typed errors.
   */
  public <T> Mono<T> script(
      Operation operation, LuaScript script, ScriptOutputType type, String[] keys, String... argv) {
    return bound(
        operation,
        flusher
            .execute(c -> c.<T>evalsha(script.sha(), type, keys, argv))
            .onErrorResume(
                RedisNoScriptException.class,
                noScript -> flusher.execute(c -> c.<T>eval(script.body(), type, keys, argv))));
  }

  /** Bounds {@code op} (one command or several) as a whole by the timeout, and types errors. */
  public <T> Mono<T> bound(Operation operation, Mono<T> op) {
    return op.timeout(timeout, timeouts)
        .onErrorMap(e -> ErrorTranslator.translate(operation, timeout, e));
  }
}
