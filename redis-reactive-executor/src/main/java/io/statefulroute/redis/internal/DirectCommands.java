package io.statefulroute.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.internal.ExceptionFactory;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.statefulroute.core.StatefulExecutor.Operation;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * The direct command path: a command of one reply (GET, one MGET, a link script answering a value)
 * handed straight to Lettuce as one {@link Command}, with no intermediate publisher between the
 * caller's subscription and the command: no Lettuce reactive publisher, no {@code Mono.create}
 * relay, no Reactor {@code timeout} (whose per-subscription naming of the timeout description alone
 * took about a tenth of the 16-in-flight path's CPU, see benchmarks/README.md), no {@code
 * onErrorResume} / {@code onErrorMap} / {@code map}. It keeps every rule of the reactive path
 * ({@link BoundedCommands} over {@link CommandFlusher}):
 *
 * <ul>
 *   <li>nothing is sent before subscription; each subscription sends the command once;
 *   <li>the in-flight slot and the connection (direct at low concurrency, buffered above) are the
 *       flusher's ({@link CommandFlusher#tryAcquire}), and the slot is held until the reply, or for
 *       at most the outstanding bound after the caller stopped waiting;
 *   <li>the command timeout is kept by {@link CallTimeouts}: one queue insertion per call, swept on
 *       the same hashed-wheel timer;
 *   <li>EVALSHA first, EVAL once on NOSCRIPT (recognised by Lettuce's exception type);
 *   <li>errors are typed by {@link ErrorTranslator} under the {@link Operation} that was called;
 *   <li>a nil reply completes empty; the decoder runs on the value, on the event loop.
 * </ul>
 *
 * <p>Internal, not API: may change.
 */
public final class DirectCommands {
  private static final String[] NO_ARGS = {};

  private final CommandFlusher<?> flusher;
  private final StatefulConnection<String, String> direct;
  private final @Nullable StatefulConnection<String, String> buffered;
  private final Scheduler timeouts;
  private final Duration timeout;
  private final Duration outstandingBound;
  private final CallTimeouts callTimeouts;

  /**
   * @param direct the flusher's auto-flushing connection
   * @param buffered its buffered connection (null when flushes are not coalesced)
   * @param timeouts where command timeouts are scheduled
   * @param outstandingBound how long a command whose caller stopped waiting keeps its slot at most
   */
  public DirectCommands(
      CommandFlusher<?> flusher,
      StatefulConnection<String, String> direct,
      @Nullable StatefulConnection<String, String> buffered,
      Scheduler timeouts,
      Duration timeout,
      Duration outstandingBound) {
    this.flusher = flusher;
    this.direct = direct;
    this.buffered = buffered;
    this.timeouts = timeouts;
    this.timeout = timeout;
    this.outstandingBound = outstandingBound;
    this.callTimeouts = new CallTimeouts(timeouts, timeout, System::nanoTime);
  }

  /** GET of {@code key}: the value decoded by {@code decode}; empty for a nil reply. */
  public <T> Mono<T> get(Operation operation, String key, Function<String, T> decode) {
    return DirectRequest.assemble(
        new DirectRequest<String, T>(
            this,
            operation,
            CommandType.GET,
            null,
            new String[] {key},
            NO_ARGS,
            () -> new ValueOutput<>(StringCodec.UTF8),
            decode));
  }

  /** MGET of {@code keys}, the values decoded in order into a new result of {@code decoding}. */
  public <R> Mono<R> mget(Operation operation, String[] keys, BatchDecoding<R> decoding) {
    return DirectRequest.assemble(
        new DirectRequest<R, R>(
            this,
            operation,
            CommandType.MGET,
            null,
            keys,
            NO_ARGS,
            () -> decoding.output(decoding.newResult(keys.length), null),
            values -> values));
  }

  /**
   * EVALSHA of {@code script} answering a bulk string (or a nil: empty), decoded by {@code decode};
   * EVAL once on NOSCRIPT.
   */
  public <T> Mono<T> valueScript(
      Operation operation,
      LuaScript script,
      String[] keys,
      String[] argv,
      Function<String, T> decode) {
    return DirectRequest.assemble(
        new DirectRequest<String, T>(
            this,
            operation,
            CommandType.EVALSHA,
            script,
            keys,
            argv,
            () -> new ValueOutput<>(StringCodec.UTF8),
            decode));
  }

  /**
   * One subscription: the command sent, its timeout, its slot; ends the subscriber once, on the
   * first of reply, error, timeout or cancel ({@code ended}), and gives the slot back once ({@code
   * released}).
   */
  static final class Call<R, T> extends Operators.MonoSubscriber<Object, T>
      implements CallTimeouts.Timed, SentCommand.Ends {
    @SuppressWarnings("rawtypes") // a field updater is of the raw class
    private static final AtomicIntegerFieldUpdater<Call> ENDED =
        AtomicIntegerFieldUpdater.newUpdater(Call.class, "ended");

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<Call> RELEASED =
        AtomicIntegerFieldUpdater.newUpdater(Call.class, "released");

    private final DirectRequest<R, T> request;
    private final DirectCommands owner;

    @SuppressWarnings("UnusedVariable") // read and written through ENDED
    private volatile int ended;

    // read and written through RELEASED; 1 (nothing to give back) until a slot is taken: a call
    // cancelled or refused before that gives none back
    @SuppressWarnings("UnusedVariable")
    private volatile int released = 1;

    private boolean toBuffered;
    private boolean evalSent;
    private long deadline;
    private volatile @Nullable SentCommand sent;

    Call(DirectRequest<R, T> request, CoreSubscriber<? super T> actual) {
      super(actual);
      this.request = request;
      this.owner = request.owner;
    }

    void start() {
      actual.onSubscribe(this);
      if (ended != 0) { // cancelled in onSubscribe: nothing taken, nothing sent
        return;
      }
      int before = owner.flusher.tryAcquire();
      if (before < 0) {
        if (end()) {
          actual.onError(translate(new InFlightLimitException(owner.flusher.maxInFlight())));
        }
        return;
      }
      released = 0; // given back once, by the first of reply, failure or the outstanding bound
      toBuffered = owner.buffered != null && before >= CommandFlusher.COALESCE_FROM;
      deadline = owner.callTimeouts.deadlineFromNow();
      try {
        owner.callTimeouts.add(this);
      } catch (RuntimeException stopped) {
        failed(stopped);
        return;
      }
      send(false);
    }

    /** Sends the command (EVAL instead of EVALSHA when {@code eval}). */
    private void send(boolean eval) {
      ProtocolKeyword type = request.type;
      LuaScript script = request.script;
      String reference = null;
      if (script != null) {
        type = eval ? CommandType.EVAL : CommandType.EVALSHA;
        reference = eval ? script.body() : script.sha();
      }
      byte[] wire = RespCommand.encode(type, reference, request.keys, request.argv);
      // what Lettuce sees of the arguments: the first key, which it routes by on a cluster
      CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
      if (request.keys.length > 0) {
        args.addKey(request.keys[0]);
      }
      SentCommand command = new SentCommand(type, request.output.get(), args, wire, this);
      sent = command;
      StatefulConnection<String, String> b = owner.buffered;
      StatefulConnection<String, String> connection = toBuffered && b != null ? b : owner.direct;
      try {
        connection.dispatch(command);
      } catch (RuntimeException e) {
        failed(e);
        return;
      }
      if (toBuffered) {
        owner.flusher.bufferedDispatched();
      }
    }

    /** The reply of {@code command}: its value, an error reply, or NOSCRIPT (EVAL then). */
    @Override
    public void replied(SentCommand command) {
      CommandOutput<String, String, ?> output = command.getOutput();
      if (output.hasError()) {
        Exception error = ExceptionFactory.createExecutionException(output.getError());
        if (error instanceof RedisNoScriptException && request.script != null && !evalSent) {
          evalSent = true;
          send(true);
          return;
        }
        failed(error);
        return;
      }
      if (toBuffered) {
        owner.flusher.learnFlushLoop();
      }
      release();
      if (!end()) {
        return;
      }
      @SuppressWarnings("unchecked")
      R raw = (R) output.get();
      if (raw == null) {
        actual.onComplete();
        return;
      }
      T value;
      try {
        value = request.decode.apply(raw);
      } catch (RuntimeException e) {
        actual.onError(translate(e));
        return;
      }
      if (value == null) {
        actual.onComplete();
      } else {
        complete(value);
      }
    }

    /** Lettuce failed the command (connection reset, its own timeout), or it could not be sent. */
    @Override
    public void failed(Throwable error) {
      release();
      if (end()) {
        actual.onError(translate(error));
      }
    }

    @Override
    public long deadline() {
      return deadline;
    }

    @Override
    public boolean ended() {
      return ended != 0;
    }

    /** The command timeout. */
    @Override
    public void timeOut() {
      if (end()) {
        releaseLater();
        actual.onError(
            translate(
                new TimeoutException(
                    request.operation.tag()
                        + ": no reply within "
                        + owner.timeout.toMillis()
                        + " ms")));
      }
    }

    @Override
    public void cancel() {
      super.cancel();
      if (end()) {
        releaseLater();
      }
    }

    /**
     * The caller stopped waiting: the command stays outstanding until its reply or Lettuce's reset,
     * and keeps its slot until then, or for the outstanding bound at most.
     */
    private void releaseLater() {
      try {
        owner.timeouts.schedule(
            () -> {
              SentCommand command = sent;
              if (command != null) {
                command.cancel();
              }
              release();
            },
            owner.outstandingBound.toNanos(),
            TimeUnit.NANOSECONDS);
      } catch (RuntimeException stopped) {
        release();
      }
    }

    private boolean end() {
      return ENDED.compareAndSet(this, 0, 1);
    }

    private void release() {
      if (RELEASED.compareAndSet(this, 0, 1)) {
        owner.flusher.release();
      }
    }

    private Throwable translate(Throwable error) {
      return ErrorTranslator.translate(request.operation, owner.timeout, error);
    }
  }
}
