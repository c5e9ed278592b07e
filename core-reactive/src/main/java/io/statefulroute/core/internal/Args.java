package io.statefulroute.core.internal;

import java.time.Duration;

/**
 * Argument validation shared by every executor and driver. Each check throws
 * {@link IllegalArgumentException} at once, before any I/O, with a message naming the argument.
 *
 * <p>Limits (documented in the README): namespace and service at most {@value #MAX_NAME_LENGTH}
 * characters, uid at most {@value #MAX_UID_LENGTH} characters, incarnation 1 to
 * {@value #MAX_INCARNATION_LENGTH} characters without {@code |} or control characters.
 */
public final class Args {
  public static final int MAX_NAME_LENGTH = 256;
  public static final int MAX_UID_LENGTH = 16_384;
  public static final int MAX_INCARNATION_LENGTH = 64;
  public static final int MAX_WORKLOAD_LENGTH = 65_536;
  /** The TTL argument that means "persistent link, no expiry". */
  public static final long PERSISTENT = -1L;
  /** Longest accepted lease or delay: about 68 years, Redis's EXPIRE range in int seconds. */
  public static final long MAX_TTL_SECONDS = Integer.MAX_VALUE;

  private Args() {}

  public static <T> T notNull(String name, T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  public static String namespace(String ns) {
    return text("namespace", ns, MAX_NAME_LENGTH);
  }

  public static String service(String service) {
    return text("service", service, MAX_NAME_LENGTH);
  }

  public static String uid(String uid) {
    return text("uid", uid, MAX_UID_LENGTH);
  }

  private static String text(String name, String value, int max) {
    notNull(name, value);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    if (value.length() > max) {
      throw new IllegalArgumentException(
          name + " must be at most " + max + " characters, was " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < value.length()
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          throw new IllegalArgumentException(
              name + " must be valid UTF-16 (unpaired surrogate at index " + i + ")");
        }
      }
    }
    return value;
  }

  public static int pod(int pod) {
    if (pod < 0) {
      throw new IllegalArgumentException("pod must be >= 0: " + pod);
    }
    return pod;
  }

  public static int nonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0: " + value);
    }
    return value;
  }

  /** A link TTL: {@code -1} (persistent) or {@code 1..MAX_TTL_SECONDS} seconds. */
  public static long ttlSeconds(long ttl) {
    if (ttl == PERSISTENT || (ttl > 0 && ttl <= MAX_TTL_SECONDS)) {
      return ttl;
    }
    throw new IllegalArgumentException(
        "ttlSeconds must be -1 (persistent) or between 1 and " + MAX_TTL_SECONDS + ": " + ttl);
  }

  /**
   * A delayed-removal delay: zero (remove now) or a positive duration, in milliseconds rounded up
   * (a positive delay under 1 ms is 1 ms, never an immediate delete).
   */
  public static long delayMillis(Duration delay) {
    notNull("delay", delay);
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    if (delay.getSeconds() > MAX_TTL_SECONDS) {
      throw new IllegalArgumentException("delay must be at most " + MAX_TTL_SECONDS + " s: " + delay);
    }
    long millis = delay.toMillis();
    return millis * 1_000_000L < delay.toNanos() ? millis + 1 : millis;
  }

  /** A positive duration, e.g. a prune window or a timeout. */
  public static Duration positive(String name, Duration value) {
    notNull(name, value);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  public static String incarnation(String incarnation) {
    notNull("incarnation", incarnation);
    if (incarnation.isEmpty() || incarnation.length() > MAX_INCARNATION_LENGTH) {
      // the same limit as the readers (StateCodec.decode) and the publish script
      throw new IllegalArgumentException("rule 'incarnation is 1 to " + MAX_INCARNATION_LENGTH
          + " characters' violated: " + incarnation.length() + " characters");
    }
    for (int i = 0; i < incarnation.length(); i++) {
      char c = incarnation.charAt(i);
      if (c == '|' || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "incarnation must not contain '|' or control characters");
      }
    }
    return incarnation;
  }

  public static String workloadValue(String value) {
    notNull("workload state", value);
    if (value.length() > MAX_WORKLOAD_LENGTH) {
      throw new IllegalArgumentException(
          "workload state must be at most " + MAX_WORKLOAD_LENGTH + " characters");
    }
    return value;
  }
}
