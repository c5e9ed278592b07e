package io.statefulroute.redis.internal;

import io.lettuce.core.cluster.SlotHash;
import io.statefulroute.core.spi.KeySchema;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The sharded link-change channels of a Redis Cluster ({@link KeySchema#linkShardChannel}): one per
 * namespace and slot, so that a link script announces with {@code SPUBLISH} on a channel of its own
 * slot. Redis delivers a sharded message within the slot's shard only (its master and replicas),
 * where a classic {@code PUBLISH} is broadcast over the cluster bus to every node.
 *
 * <p>The tag of slot {@code s} is the first string, shortest first and then in the order of the
 * alphabet {@code 0-9a-z}, whose CRC16 modulo 16384 is {@code s} (one to four characters). Every
 * executor computes the same table, so any of them hears what any other announces.
 *
 * <p>Thread-safe. Each namespace's 16,384 channel names are built once, on first use.
 *
 * <p>Internal, not API: may change.
 */
public final class ShardChannels {
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
  private static final String[] TAGS = tags();

  private final KeySchema keys;
  private final ConcurrentHashMap<String, List<String>> byNamespace = new ConcurrentHashMap<>();

  public ShardChannels(KeySchema keys) {
    this.keys = keys;
  }

  /** The channels of {@code keys} when {@code sharded}; null otherwise. */
  public static @Nullable ShardChannels of(KeySchema keys, boolean sharded) {
    return sharded ? new ShardChannels(keys) : null;
  }

  /** The hash tag of {@code slot}: a string whose cluster slot is {@code slot}. */
  static String tag(int slot) {
    return TAGS[slot];
  }

  /** The channel of the slot of {@code key} (a key of the namespace's uid). */
  public String channel(String ns, String key) {
    return channels(ns).get(SlotHash.getSlot(key));
  }

  /** Every channel of the namespace, indexed by slot. */
  public List<String> channels(String ns) {
    return byNamespace.computeIfAbsent(
        ns,
        n -> {
          String[] all = new String[SlotHash.SLOT_COUNT];
          for (int slot = 0; slot < all.length; slot++) {
            all[slot] = keys.linkShardChannel(n, TAGS[slot]);
          }
          return List.of(all);
        });
  }

  /**
   * The classic channel a shard channel belongs to ({@link KeySchema#linkChannel} of its
   * namespace): the channel without its {@code :{tag}} tail; null when it has none.
   */
  public static @Nullable String namespaceChannel(String shardChannel) {
    int tail = shardChannel.lastIndexOf(":{");
    return tail < 0 || !shardChannel.endsWith("}") ? null : shardChannel.substring(0, tail);
  }

  private static String[] tags() {
    String[] tags = new String[SlotHash.SLOT_COUNT];
    int open = tags.length;
    char[] digits = new char[0];
    while (open > 0) {
      digits = next(digits);
      String candidate = new String(digits);
      int slot = SlotHash.getSlot(candidate);
      if (tags[slot] == null) {
        tags[slot] = candidate;
        open--;
      }
    }
    return tags;
  }

  /** The string after {@code s}: shortest first, then in the order of {@link #ALPHABET}. */
  private static char[] next(char[] s) {
    char[] n = Arrays.copyOf(s, s.length);
    for (int i = n.length - 1; i >= 0; i--) {
      int d = ALPHABET.indexOf(n[i]);
      if (d < ALPHABET.length() - 1) {
        n[i] = ALPHABET.charAt(d + 1);
        return n;
      }
      n[i] = ALPHABET.charAt(0);
    }
    char[] longer = new char[s.length + 1];
    Arrays.fill(longer, ALPHABET.charAt(0));
    return longer;
  }
}
