package io.statefulroute.redis.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code maxmemory-policy} of a Redis node, read from {@code INFO memory} (which every user
 * may run; {@code CONFIG GET} needs an ACL permission that application users often lack), and
 * whether it can evict links. A link that Redis evicts vanishes without an announcement, so
 * caches keep answering it and the uid's next placement may land elsewhere: only {@code
 * noeviction} keeps every link. {@code volatile-*} evicts keys with a TTL (temporary links, the
 * delayed-removal markers), {@code allkeys-*} any key (persistent links and the link index too).
 */
public record EvictionPolicy(String name) {
  public static final String SAFE = "noeviction";

  /** The policy named in an {@code INFO memory} reply; empty when the reply does not name one. */
  public static Optional<EvictionPolicy> fromInfo(String info) {
    if (info == null) {
      return Optional.empty();
    }
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("maxmemory_policy:")) {
        String name = line.substring("maxmemory_policy:".length()).trim();
        return name.isEmpty() ? Optional.empty() : Optional.of(new EvictionPolicy(name));
      }
    }
    return Optional.empty();
  }

  /** Whether this policy lets Redis evict a link when memory runs out. */
  public boolean canEvictLinks() {
    return !SAFE.equals(name.toLowerCase(Locale.ROOT));
  }

  /** What to tell an operator about a policy that can evict links. */
  public String warning(String node) {
    return "Redis " + node + " has maxmemory-policy " + name + ": when it reaches maxmemory it"
        + " evicts keys, and an evicted link vanishes without an announcement (cached links keep"
        + " answering, the next placement may choose another pod); set maxmemory-policy"
        + " noeviction for stateful-route's keys (see README, Failure behaviour)";
  }
}
