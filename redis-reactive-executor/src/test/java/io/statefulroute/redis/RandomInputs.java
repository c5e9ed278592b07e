package io.statefulroute.redis;

import io.statefulroute.core.spi.Args;
import java.util.Random;

/**
 * Seeded random inputs for the property tests: names and uids drawn from an alphabet of every
 * character class the key schema treats specially (separators, braces, percent, controls, C1
 * controls, non-ASCII, surrogate pairs), with lengths up to the documented limits. The seed is
 * fixed (reproducible runs) unless the system property {@code properties.seed} names another.
 */
final class RandomInputs {
  static final long SEED = Long.getLong("properties.seed", 20261128L);
  private static final int[] ALPHABET =
      "ab:{}%|\\ \t\n\r\u0000\u007f\u0085\u009féü用😀🂡".codePoints().toArray();

  private final Random random;

  RandomInputs(long salt) {
    this.random = new Random(SEED ^ salt);
  }

  Random random() {
    return random;
  }

  /** A valid namespace or service: 1 to 256 characters, mostly short. */
  String name() {
    return text(lengthUpTo(Args.MAX_NAME_LENGTH));
  }

  /** A valid uid: 1 to 16,384 characters, mostly short. */
  String uid() {
    return text(lengthUpTo(Args.MAX_UID_LENGTH));
  }

  /** Any valid pod index, including 0 and Integer.MAX_VALUE. */
  int pod() {
    return switch (random.nextInt(8)) {
      case 0 -> 0;
      case 1 -> Integer.MAX_VALUE;
      default -> random.nextInt(random.nextBoolean() ? 16 : Integer.MAX_VALUE);
    };
  }

  /** A valid link TTL: -1 (persistent) or 1 to 10^6 seconds. */
  long ttl() {
    return random.nextBoolean() ? -1 : 1 + random.nextInt(1_000_000);
  }

  /** Any string of at most {@code max} UTF-16 units, each code point from the alphabet. */
  String text(int length) {
    StringBuilder sb = new StringBuilder(length + 1);
    while (sb.length() < length) {
      int cp = ALPHABET[random.nextInt(ALPHABET.length)];
      if (sb.length() + Character.charCount(cp) > length) {
        cp = 'x';
      }
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  /** 1 to max: 1-8 usually, up to max now and then, max itself sometimes. */
  private int lengthUpTo(int max) {
    int r = random.nextInt(100);
    if (r < 2) {
      return max;
    }
    if (r < 10) {
      return 1 + random.nextInt(max);
    }
    return 1 + random.nextInt(8);
  }
}
