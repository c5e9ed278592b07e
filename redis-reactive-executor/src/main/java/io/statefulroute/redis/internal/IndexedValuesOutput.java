package io.statefulroute.redis.internal;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The reply of one MGET decoded straight into the caller's result array: value {@code j} of the
 * reply goes to {@code values[index[j]]} (to {@code values[j]} without an index), null for a key
 * with no string value. Batch reads use it instead of Lettuce's MGET output, which emits every
 * value as a {@code KeyValue} signal of a {@code Flux}: one object and one reactive signal per key,
 * on the event loop, and then a copy into the result. Chunks of one batch write disjoint positions
 * of the same array.
 *
 * <p>The position restarts at every array header, so a reply that Lettuce decodes again (after a
 * reconnect replays the command) overwrites the same positions instead of running past them.
 *
 * <p>Internal, not API: may change.
 */
public final class IndexedValuesOutput<K, V> extends CommandOutput<K, V, V[]> {
  private final int @Nullable [] index;
  private int next;

  /**
   * @param values where the values go (the command's result)
   * @param index the position in {@code values} of each key of the command, in order; null when the
   *     command's keys are {@code values}' positions themselves
   */
  public IndexedValuesOutput(RedisCodec<K, V> codec, V[] values, int @Nullable [] index) {
    super(codec, values);
    this.index = index;
  }

  @Override
  public void multi(int count) {
    next = 0;
  }

  @Override
  public void set(@Nullable ByteBuffer bytes) {
    int j = next++;
    int at = index == null ? j : j < index.length ? index[j] : -1;
    if (at >= 0 && at < output.length) {
      output[at] = bytes == null ? null : codec.decodeValue(bytes);
    }
  }
}
