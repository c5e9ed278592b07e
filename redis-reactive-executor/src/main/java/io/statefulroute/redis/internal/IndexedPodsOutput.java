package io.statefulroute.redis.internal;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * An {@link IndexedOutput} of link values: each one read as a pod index straight from the reply's
 * bytes, with no string made on the event loop ({@link #ABSENT} for a key with no string value,
 * {@link #CORRUPT} for a value that is not a pod index). The rule is {@code
 * StateCodec.parseNonNegativeInt}'s, which every other read of a link applies: 1 to 10 ASCII
 * digits, at most {@link Integer#MAX_VALUE}. At 256 batch reads of 100 links in flight, decoding
 * every value into a string and parsing it took a third of the event loop's samples
 * (benchmarks/README.md, run M).
 *
 * <p>Internal, not API: may change.
 */
public final class IndexedPodsOutput extends IndexedOutput<int[]> {
  /** No link: the key has no string value. */
  public static final int ABSENT = -1;

  /** A value that is not a pod index. */
  public static final int CORRUPT = -2;

  /**
   * @param pods where the pods go (the command's result), each set as a value arrives
   * @param index as for {@link IndexedOutput}
   */
  public IndexedPodsOutput(int[] pods, int @Nullable [] index) {
    super(pods, pods.length, index);
  }

  @Override
  void store(int at, @Nullable ByteBuffer bytes) {
    output[at] = bytes == null ? ABSENT : pod(bytes);
  }

  /** The pod index of {@code bytes}, or {@link #CORRUPT}. */
  static int pod(ByteBuffer bytes) {
    int from = bytes.position();
    int length = bytes.remaining();
    if (length == 0 || length > 10) {
      return CORRUPT;
    }
    long v = 0;
    for (int i = 0; i < length; i++) {
      int c = bytes.get(from + i);
      if (c < '0' || c > '9') {
        return CORRUPT;
      }
      v = v * 10 + (c - '0');
    }
    return v > Integer.MAX_VALUE ? CORRUPT : (int) v;
  }
}
