package io.statefulroute.redis.internal;

import io.lettuce.core.KeyValue;
import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.LinkLease;
import io.statefulroute.core.PodState;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.StatefulExecutor.Operation;
import io.statefulroute.core.spi.SkippedValues;
import io.statefulroute.core.spi.StateCodec;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decodes the replies of the Redis executor's commands and scripts (see {@code lua/README.md} for
 * the scripts' reply shapes) into the contract's values; a reply that is not what the store should
 * hold is a {@link CorruptDataException} naming the {@link Operation} that was called (by its
 * {@link Operation#tag()}, as {@link ErrorTranslator} does), not the script that answered.
 *
 * <p>Internal, not API: may change.
 */
public final class Replies {
  private Replies() {}

  /** A stored link read by {@code operation}: a pod index, as a bulk string or an integer. */
  public static int pod(Operation operation, Object raw) {
    int pod =
        raw instanceof String text
            ? StateCodec.parseNonNegativeInt(text)
            : raw instanceof Long n && n >= 0 && n <= Integer.MAX_VALUE ? (int) (long) n : -1;
    if (pod < 0) {
      throw new CorruptDataException(operation.tag() + ": stored link is not a pod index");
    }
    return pod;
  }

  /**
   * The set-if-absent reply ({@code operation} is {@code setLinkIfAbsent} or {@code
   * setLinkIfAbsentLease}): {@code <pod>} (the link lives for the given TTL), {@code <pod>:-1} (an
   * existing persistent link) or {@code <pod>:<ms>} (a link in delayed removal).
   */
  public static LinkLease placement(Operation operation, String raw, long ttlSeconds) {
    int colon = raw == null ? -1 : raw.indexOf(':');
    if (colon < 0) {
      int linked = pod(operation, raw);
      return ttlSeconds == -1
          ? LinkLease.persistent(linked)
          : LinkLease.expiring(linked, Duration.ofSeconds(ttlSeconds));
    }
    int linked = pod(operation, raw.substring(0, colon));
    if (raw.length() == colon + 3 && raw.endsWith("-1")) {
      return LinkLease.persistent(linked);
    }
    long left = StateCodec.parseNonNegativeLong(raw, colon + 1, raw.length());
    if (left < 0) {
      throw new CorruptDataException(operation.tag() + ": unexpected reply " + raw);
    }
    return LinkLease.expiring(linked, Duration.ofMillis(left));
  }

  /** The lease reply: {@code [pod, pttl]}; empty (or a nil pod) when there is no link. */
  public static Optional<LinkLease> lease(Operation operation, List<Object> reply) {
    if (reply.isEmpty() || reply.get(0) == null) {
      return Optional.empty();
    }
    int pod = pod(operation, reply.get(0));
    long pttl = reply.size() > 1 && reply.get(1) instanceof Long l ? l : -1;
    return Optional.of(
        pttl == -1
            ? LinkLease.persistent(pod)
            : LinkLease.expiring(pod, Duration.ofMillis(Math.max(0, pttl))));
  }

  /** The claim reply: {@code [claimed, current pod, previous pod or nil]}. */
  public static ClaimResult claim(Operation operation, List<Object> reply) {
    Integer previous =
        reply.size() > 2 && reply.get(2) != null ? pod(operation, reply.get(2)) : null;
    return new ClaimResult(
        flag(reply, 0), pod(operation, reply.get(1)), Optional.ofNullable(previous));
  }

  /** The replace reply: {@code [replaced, current pod, persistent]}. */
  public static ReplaceResult replace(Operation operation, List<Object> reply) {
    return new ReplaceResult(flag(reply, 0), pod(operation, reply.get(1)), flag(reply, 2));
  }

  /** The link index (HGETALL: service to pod); undecodable entries are skipped and counted. */
  public static Map<String, Integer> linkIndex(
      List<KeyValue<String, String>> entries, SkippedValues skipped) {
    Map<String, Integer> out = new HashMap<>();
    for (KeyValue<String, String> kv : entries) {
      skipped.putPod(out, kv.getKey(), kv.getValue());
    }
    return Map.copyOf(out);
  }

  /**
   * A batch of links: {@code uids[i]} to {@code pods[i]}, where there is one ({@link
   * IndexedPodsOutput}); values that are not a pod index are skipped and counted.
   */
  public static Map<String, Integer> links(String[] uids, int[] pods, SkippedValues skipped) {
    Map<String, Integer> out = new HashMap<>(Math.max(16, pods.length * 2));
    for (int i = 0; i < pods.length; i++) {
      int pod = pods[i];
      if (pod >= 0) {
        out.put(uids[i], pod);
      } else if (pod == IndexedPodsOutput.CORRUPT) {
        skipped.skip();
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** {@code names[i]} to {@code values[i]}, where there is a value. */
  public static Map<String, String> present(String[] names, String[] values) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        out.put(names[i], values[i]);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** The state-read reply: {@code [now, [field, value, ...]]}; malformed fields are counted. */
  public static StateSnapshot snapshot(Operation operation, List<Object> reply) {
    if (reply.size() < 2 || !(reply.get(0) instanceof Long) || !(reply.get(1) instanceof List)) {
      throw new CorruptDataException(operation.tag() + ": unexpected reply shape");
    }
    long now = (Long) reply.get(0);
    List<?> flat = (List<?>) reply.get(1);
    Map<Integer, PodState> pods = new HashMap<>();
    int malformed = 0;
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      Object f = flat.get(i);
      Object v = flat.get(i + 1);
      PodState s =
          f instanceof String field && v instanceof String value
              ? StateCodec.decode(field, value)
              : null;
      if (s == null) {
        malformed++;
      } else {
        pods.put(s.pod(), s);
      }
    }
    Set<Integer> cordoned = new HashSet<>();
    if (reply.size() > 2 && reply.get(2) instanceof List<?> cordons) {
      for (int i = 0; i < cordons.size(); i += 2) {
        int pod =
            cordons.get(i) instanceof String field ? StateCodec.parseNonNegativeInt(field) : -1;
        if (pod >= 0) {
          cordoned.add(pod);
        }
      }
    }
    return new StateSnapshot(pods, now, malformed, cordoned);
  }

  /** The reply of {@code link_move.lua}: {moved, pod}; empty (nil, or no element) when absent. */
  public static Optional<ReplaceResult> move(Operation operation, List<Object> reply) {
    if (reply.isEmpty() || reply.get(0) == null) {
      return Optional.empty();
    }
    if (reply.size() != 2 || !(reply.get(1) instanceof Long pod) || pod < 0) {
      throw new CorruptDataException(operation.tag() + ": unexpected reply shape");
    }
    int current = pod.intValue();
    return Optional.of(
        flag(reply, 0) ? ReplaceResult.replaced(current) : ReplaceResult.otherOwner(current));
  }

  private static boolean flag(List<Object> reply, int index) {
    Object v = reply.get(index);
    return v instanceof Long n && n == 1L;
  }
}
