package io.statefulroute.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Duration;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * How the Redis executor runs a command or a Lua script: through the {@link CommandFlusher},
 * bounded by the command timeout (a Reactor timeout on the given scheduler), with errors typed
 * by {@link ErrorTranslator} under the operation's name. Scripts go by EVALSHA, and once more by
 * EVAL on {@link RedisNoScriptException} (a restarted or flushed node), which also caches them.
 *
 * <p>Internal, not API: may change.
 */
public final class BoundedCommands {
  private final CommandFlusher<RedisClusterReactiveCommands<String, String>> flusher;
  private final Duration timeout;
  private final Scheduler timeouts;

  public BoundedCommands(CommandFlusher<RedisClusterReactiveCommands<String, String>> flusher,
      Duration timeout, Scheduler timeouts) {
    this.flusher = flusher;
    this.timeout = timeout;
    this.timeouts = timeouts;
  }

  /** One command, bounded and with typed errors. */
  public <T> Mono<T> command(String operation,
      Function<RedisClusterReactiveCommands<String, String>, ? extends Publisher<T>> command) {
    return bound(operation, flusher.execute(command));
  }

  /** EVALSHA, falling back once to EVAL on NOSCRIPT; bounded and with typed errors. */
  public <T> Mono<T> script(LuaScript script, ScriptOutputType type, String[] keys,
      String... argv) {
    return bound(script.name(),
        flusher.execute(c -> c.<T>evalsha(script.sha(), type, keys, argv))
            .onErrorResume(RedisNoScriptException.class,
                noScript -> flusher.execute(c -> c.<T>eval(script.body(), type, keys, argv))));
  }

  /** Bounds {@code op} (one command or several) as a whole by the timeout, and types errors. */
  public <T> Mono<T> bound(String operation, Mono<T> op) {
    return op.timeout(timeout, timeouts)
        .onErrorMap(e -> ErrorTranslator.translate(operation, timeout, e));
  }
}
