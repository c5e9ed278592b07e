package io.statefulroute.redis.internal;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.statefulroute.core.StatefulExecutor.Operation;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * One command of {@link DirectCommands} as a cold Mono: each subscription is a call that sends it.
 *
 * <p>Internal, not API: may change.
 */
final class DirectRequest<R, T> extends Mono<T> {
  final DirectCommands owner;
  final Operation operation;
  final ProtocolKeyword type;
  final @Nullable LuaScript script;
  final String[] keys;
  final String[] argv;
  final Supplier<? extends CommandOutput<String, String, R>> output;
  final Function<R, T> decode;

  DirectRequest(
      DirectCommands owner,
      Operation operation,
      ProtocolKeyword type,
      @Nullable LuaScript script,
      String[] keys,
      String[] argv,
      Supplier<? extends CommandOutput<String, String, R>> output,
      Function<R, T> decode) {
    this.owner = owner;
    this.operation = operation;
    this.type = type;
    this.script = script;
    this.keys = keys;
    this.argv = argv;
    this.output = output;
    this.decode = decode;
  }

  /** {@code request} through Reactor's assembly hooks, as every operator is. */
  static <T> Mono<T> assemble(DirectRequest<?, T> request) {
    return onAssembly(request);
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    new DirectCommands.Call<>(this, actual).start();
  }
}
