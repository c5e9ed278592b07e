package io.statefulroute.redis.internal;

import io.lettuce.core.cluster.api.reactive.RedisAdvancedClusterReactiveCommands;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code maxmemory-policy} of a Redis node, read from {@code INFO memory} (which every user may
 * run; {@code CONFIG GET} needs an ACL permission that application users often lack), and whether
 * it can evict links. A link that Redis evicts vanishes without an announcement, so caches keep
 * answering it and the uid's next placement may land elsewhere: only {@code noeviction} keeps every
 * link. {@code volatile-*} evicts keys with a TTL (temporary links, the delayed-removal markers),
 * {@code allkeys-*} any key (persistent links and the link index too).
 *
 * <p>Internal, not API: may change.
 */
public record EvictionPolicy(String name) {
  public static final String SAFE = "noeviction";

  /** The policy named in an {@code INFO memory} reply; empty when the reply does not name one. */
  public static Optional<EvictionPolicy> fromInfo(@Nullable String info) {
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

  /**
   * The policy of every master (node address to policy), from {@code INFO memory}: of the one node,
   * named {@code (standalone)}, when {@code partitions} is null, else of each master in the
   * cluster's slot map. Errors when {@code INFO} is refused, or with a {@link
   * java.util.concurrent.TimeoutException} after {@code timeout}.
   */
  public static Mono<Map<String, EvictionPolicy>> ofMasters(
      RedisClusterReactiveCommands<String, String> commands,
      @Nullable Supplier<Partitions> partitions,
      Duration timeout) {
    Flux<Map.Entry<String, String>> infos;
    if (partitions == null) {
      infos = commands.info("memory").map(info -> Map.entry("(standalone)", info)).flux();
    } else {
      RedisAdvancedClusterReactiveCommands<String, String> advanced =
          (RedisAdvancedClusterReactiveCommands<String, String>) commands;
      infos =
          Flux.defer(() -> Flux.fromIterable(partitions.get()))
              .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM))
              .flatMap(
                  node ->
                      advanced
                          .getConnection(node.getNodeId())
                          .info("memory")
                          .map(
                              info ->
                                  Map.entry(
                                      node.getUri().getHost() + ":" + node.getUri().getPort(),
                                      info)));
    }
    return infos
        .<Map.Entry<String, EvictionPolicy>>handle(
            (e, sink) -> fromInfo(e.getValue()).ifPresent(p -> sink.next(Map.entry(e.getKey(), p))))
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .<Map<String, EvictionPolicy>>map(Map::copyOf)
        .timeout(timeout);
  }

  /**
   * Subscribes to {@code policies} (cached by the caller) and logs {@link #warning} for every
   * master whose policy can evict links; a failed read is logged at DEBUG.
   *
   * @return {@code policies}
   */
  public static Mono<Map<String, EvictionPolicy>> warnWhereLinksCanBeEvicted(
      Mono<Map<String, EvictionPolicy>> policies, System.Logger log) {
    policies.subscribe(
        byNode ->
            byNode.forEach(
                (node, policy) -> {
                  if (policy.canEvictLinks()) {
                    log.log(System.Logger.Level.WARNING, policy.warning(node));
                  }
                }),
        error ->
            log.log(System.Logger.Level.DEBUG, "could not read the eviction policy: " + error));
    return policies;
  }

  /** Whether this policy lets Redis evict a link when memory runs out. */
  public boolean canEvictLinks() {
    return !SAFE.equals(name.toLowerCase(Locale.ROOT));
  }

  /** What to tell an operator about a policy that can evict links. */
  public String warning(String node) {
    return "Redis "
        + node
        + " has maxmemory-policy "
        + name
        + ": when it reaches maxmemory it"
        + " evicts keys, and an evicted link vanishes without an announcement (cached links keep"
        + " answering, the next placement may choose another pod); set maxmemory-policy"
        + " noeviction for stateful-route's keys (see docs/failure-model.md, Memory full)";
  }
}
