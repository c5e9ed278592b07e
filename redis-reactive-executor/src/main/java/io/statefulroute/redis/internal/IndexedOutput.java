package io.statefulroute.redis.internal;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The reply of one MGET (or {@code read_values.lua} call) decoded straight into the caller's result
 * array: value {@code j} of the reply goes to position {@code index[j]} (to {@code j} without an
 * index). Batch reads use it instead of Lettuce's MGET output, which emits every value as a {@code
 * KeyValue} signal of a {@code Flux}: one object and one reactive signal per key, on the event
 * loop, and then a copy into the result. Chunks of one batch write disjoint positions of the same
 * array.
 *
 * <p>The position restarts at every array header, so a reply that Lettuce decodes again (after a
 * reconnect replays the command) overwrites the same positions instead of running past them. More
 * values than positions (a protocol surprise) are dropped, never written out of bounds.
 *
 * <p>Internal, not API: may change.
 *
 * @param <R> the result array
 */
abstract class IndexedOutput<R> extends CommandOutput<String, String, R> {
  private final int @Nullable [] index;
  private final int length;
  private int next;

  /**
   * @param result where the values go (the command's result), of {@code length} positions
   * @param index the position in {@code result} of each key of the command, in order; null when the
   *     command's keys are the result's positions themselves
   */
  IndexedOutput(R result, int length, int @Nullable [] index) {
    super(StringCodec.UTF8, result);
    this.index = index;
    this.length = length;
  }

  @Override
  public final void multi(int count) {
    next = 0;
  }

  @Override
  public final void set(@Nullable ByteBuffer bytes) {
    int j = next++;
    int at = index == null ? j : j < index.length ? index[j] : -1;
    if (at >= 0 && at < length) {
      store(at, bytes);
    }
  }

  /** Writes the value {@code bytes} (null: the key has no string value) at {@code at}. */
  abstract void store(int at, @Nullable ByteBuffer bytes);
}
