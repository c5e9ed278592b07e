package io.statefulroute.redis.internal;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CompleteableCommand;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The Lettuce command of one {@link DirectCommands} call: written as the RESP bytes made for it on
 * the calling thread ({@link RespCommand}), it reports its end to the call, and to Lettuce's
 * command expiry (a completable command has its expiry task cancelled; a bare one stays referenced
 * by it until the expiry).
 *
 * <p>Internal, not API: may change.
 */
final class SentCommand extends Command<String, String, Object>
    implements CompleteableCommand<Object> {
  /** Where the command's end goes: the call that sent it. */
  interface Ends {
    /** The reply arrived (a value or an error reply). */
    void replied(SentCommand command);

    /** Lettuce failed or cancelled the command. */
    void failed(Throwable error);
  }

  private final Ends call;

  /** The whole command as RESP, written as it is. */
  private final byte[] wire;

  private volatile @Nullable BiConsumer<Object, Throwable> ended;

  /**
   * @param args what Lettuce sees of the arguments: the first key, which it routes by on a cluster
   */
  @SuppressWarnings("unchecked")
  SentCommand(
      ProtocolKeyword type,
      CommandOutput<String, String, ?> output,
      CommandArgs<String, String> args,
      byte[] wire,
      Ends call) {
    super(type, (CommandOutput<String, String, Object>) output, args);
    this.wire = wire;
    this.call = call;
  }

  @Override
  public void encode(ByteBuf buf) {
    buf.writeBytes(wire);
  }

  @Override
  public void onComplete(Consumer<? super Object> action) {
    onComplete((v, e) -> action.accept(v));
  }

  @Override
  public void onComplete(BiConsumer<? super Object, Throwable> action) {
    BiConsumer<Object, Throwable> before = ended;
    ended = before == null ? action : before.andThen(action);
  }

  private void notifyEnded(@Nullable Throwable error) {
    BiConsumer<Object, Throwable> e = ended;
    if (e != null) {
      e.accept(error == null ? getOutput().get() : null, error);
    }
  }

  @Override
  public void complete() {
    super.complete();
    notifyEnded(null);
    call.replied(this);
  }

  @Override
  public boolean completeExceptionally(Throwable error) {
    boolean first = super.completeExceptionally(error);
    notifyEnded(error);
    call.failed(error);
    return first;
  }

  @Override
  public void cancel() {
    super.cancel();
    CancellationException cancelled = new CancellationException("the command was cancelled");
    notifyEnded(cancelled);
    call.failed(cancelled);
  }
}
