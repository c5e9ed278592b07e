package io.statefulroute.redis.internal;

import io.lettuce.core.codec.StringCodec;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * An {@link IndexedOutput} of strings: each value decoded as UTF-8, null for a key with no string
 * value.
 *
 * <p>Internal, not API: may change.
 */
public final class IndexedValuesOutput extends IndexedOutput<String[]> {
  /**
   * @param values where the values go (the command's result)
   * @param index the position in {@code values} of each key of the command, in order; null when the
   *     command's keys are {@code values}' positions themselves
   */
  public IndexedValuesOutput(String[] values, int @Nullable [] index) {
    super(values, values.length, index);
  }

  @Override
  void store(int at, @Nullable ByteBuffer bytes) {
    output[at] = bytes == null ? null : StringCodec.UTF8.decodeValue(bytes);
  }
}
