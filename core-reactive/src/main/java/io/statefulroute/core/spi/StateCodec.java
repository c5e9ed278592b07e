package io.statefulroute.core.spi;

import io.statefulroute.core.PodState;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import org.jspecify.annotations.Nullable;

/**
 * The pod state record format, version 1: {@code 1|load|stateCode|serverMillis|incarnation}, stored
 * as the value of hash field {@code <pod index>}. The Lua publish script writes the same format;
 * readers skip what they cannot decode.
 */
public final class StateCodec {
  public static final String VERSION = "1";

  private StateCodec() {}

  public static String encode(PodStatus status, long serverMillis) {
    return VERSION
        + '|'
        + status.load()
        + '|'
        + status.state().code()
        + '|'
        + serverMillis
        + '|'
        + status.incarnation();
  }

  /**
   * Decodes one hash field.
   *
   * @return the record, or {@code null} when the field or value is malformed
   */
  public static @Nullable PodState decode(@Nullable String field, @Nullable String value) {
    if (field == null || value == null) {
      return null;
    }
    try {
      int pod = parseNonNegativeInt(field);
      String[] parts = value.split("\\|", -1);
      if (parts.length != 5 || !VERSION.equals(parts[0]) || parts[2].length() != 1) {
        return null;
      }
      int load = parseNonNegativeInt(parts[1]);
      RoutingState state = RoutingState.fromCode(parts[2].charAt(0));
      long millis = Long.parseLong(parts[3]);
      String incarnation = parts[4];
      if (pod < 0
          || load < 0
          || state == null
          || millis < 0
          || incarnation.isEmpty()
          || incarnation.length() > Args.MAX_INCARNATION_LENGTH) {
        return null;
      }
      return new PodState(pod, load, state, millis, incarnation);
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  /** Parses a stored pod index or load; {@code -1} when it is not a plain non-negative int. */
  public static int parseNonNegativeInt(@Nullable String s) {
    if (s == null || s.length() > 10) {
      return -1;
    }
    long v = parseNonNegativeLong(s, 0, s.length());
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  /**
   * Parses the digits of {@code s} between {@code from} and {@code to}; {@code -1} when that range
   * is empty, holds a non-digit or more than 18 digits.
   */
  public static long parseNonNegativeLong(String s, int from, int to) {
    if (to <= from || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
