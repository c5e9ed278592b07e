package io.statefulroute.core.spi;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Argument validation shared by every executor, driver and options class. Each check throws {@link
 * IllegalArgumentException} at once, before any I/O, with a message naming the argument and the
 * rule it broke: {@code "<name> must <rule>: <value>"}, e.g. {@code "batchSize must be between 1
 * and 10000: 0"}. The options classes of every module check their ranges here only, so one rule
 * reads the same wherever it is broken.
 *
 * <p>Limits (documented in docs/failure-model.md, Errors): namespace and service at most {@value
 * #MAX_NAME_LENGTH} characters, uid at most {@value #MAX_UID_LENGTH} characters, incarnation 1 to
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

  /** {@code value}, when not null. */
  public static <T> T notNull(String name, @Nullable T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  /** A namespace: 1 to {@value #MAX_NAME_LENGTH} characters of valid UTF-16. */
  public static String namespace(String ns) {
    return text("namespace", ns, MAX_NAME_LENGTH);
  }

  /** A service name: 1 to {@value #MAX_NAME_LENGTH} characters of valid UTF-16. */
  public static String service(String service) {
    return text("service", service, MAX_NAME_LENGTH);
  }

  /** A uid: 1 to {@value #MAX_UID_LENGTH} characters of valid UTF-16. */
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

  /** A pod index: {@code >= 0}. */
  public static int pod(int pod) {
    return nonNegative("pod", pod);
  }

  /** {@code value >= 0}. */
  public static int nonNegative(String name, int value) {
    return atLeast(name, value, 0);
  }

  /** {@code value >= 0}. */
  public static long nonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0: " + value);
    }
    return value;
  }

  /** {@code value >= min}. */
  public static int atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
    }
    return value;
  }

  /** {@code min <= value <= max}. */
  public static int inRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ": " + value);
    }
    return value;
  }

  /** {@code min <= value <= max} (NaN is refused). */
  public static double inRange(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ": " + value);
    }
    return value;
  }

  /** {@code value > 0} (NaN is refused). */
  public static double positive(String name, double value) {
    if (!(value > 0)) {
      throw new IllegalArgumentException(name + " must be > 0: " + value);
    }
    return value;
  }

  /** A ratio threshold: {@code 0 < value <= 1} (NaN is refused). */
  public static double ratio(String name, double value) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1]: " + value);
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
    delay("delay", delay);
    long millis = delay.toMillis();
    return millis * 1_000_000L < delay.toNanos() ? millis + 1 : millis;
  }

  /**
   * A delay or a wait: zero or positive, at most {@link #MAX_TTL_SECONDS} seconds (the bound of
   * {@link #delayMillis(Duration)}, so that it always converts).
   */
  public static Duration delay(String name, Duration value) {
    notNull(name, value);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
    return atMost(name, value, Duration.ofSeconds(MAX_TTL_SECONDS));
  }

  /** A positive duration, e.g. a prune window or a timeout. */
  public static Duration positive(String name, Duration value) {
    notNull(name, value);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  /** A positive duration of at most {@code max}, e.g. a timeout. */
  public static Duration positive(String name, Duration value, Duration max) {
    return atMost(name, positive(name, value), max);
  }

  /** A duration of whole seconds (no millisecond or nanosecond part), e.g. a link TTL. */
  public static Duration wholeSeconds(String name, Duration value) {
    notNull(name, value);
    if (value.toNanosPart() != 0) {
      throw new IllegalArgumentException(name + " must be whole seconds: " + value);
    }
    return value;
  }

  private static Duration atMost(String name, Duration value, Duration max) {
    if (value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be at most " + describe(max) + ": " + value);
    }
    return value;
  }

  /** {@code 1 h}, {@code 5 min}, {@code 30 s}; else the ISO-8601 form. */
  private static String describe(Duration d) {
    if (d.toNanosPart() != 0) {
      return d.toString();
    }
    long s = d.toSeconds();
    if (s != 0 && s % 3600 == 0) {
      return s / 3600 + " h";
    }
    if (s != 0 && s % 60 == 0) {
      return s / 60 + " min";
    }
    return s + " s";
  }

  /**
   * A pod incarnation: 1 to {@value #MAX_INCARNATION_LENGTH} characters, without {@code |} or
   * control characters.
   */
  public static String incarnation(String incarnation) {
    notNull("incarnation", incarnation);
    if (incarnation.isEmpty() || incarnation.length() > MAX_INCARNATION_LENGTH) {
      // the same limit as the readers (StateCodec.decode) and the publish script
      throw new IllegalArgumentException(
          "rule 'incarnation is 1 to "
              + MAX_INCARNATION_LENGTH
              + " characters' violated: "
              + incarnation.length()
              + " characters");
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

  /** A workload state value: at most {@value #MAX_WORKLOAD_LENGTH} characters. */
  public static String workloadValue(String value) {
    notNull("workload state", value);
    if (value.length() > MAX_WORKLOAD_LENGTH) {
      throw new IllegalArgumentException(
          "workload state must be at most " + MAX_WORKLOAD_LENGTH + " characters");
    }
    return value;
  }

  /**
   * Checks a rule between several options at build time.
   *
   * @param holds whether the rule holds
   * @param rule the rule as the user would write it, e.g. {@code stateExpiry < leaseTtl}
   * @param values the values involved, e.g. {@code "stateExpiry PT5S, leaseTtl PT1M"}
   * @throws IllegalArgumentException {@code rule '<rule>' violated: <values>} when it does not
   */
  public static void rule(boolean holds, String rule, String values) {
    if (!holds) {
      throw new IllegalArgumentException("rule '" + rule + "' violated: " + values);
    }
  }
}
