package io.statefulroute.core.memory;

import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.spi.StateCodec;
import org.jspecify.annotations.Nullable;

/**
 * One link's keys in the in-memory store (the link, the uid's index, the delayed-removal marker,
 * the operator's pin) and the writes and reads the scripts' prelude does on them ({@code sr_write},
 * {@code sr_delete}, {@code sr_pinned}, {@code sr_current}). Callers hold the {@link StoreLock}.
 */
final class StoredLinks {
  private final KeySchema keys;
  private final InMemoryStore store;

  StoredLinks(KeySchema keys, InMemoryStore store) {
    this.keys = keys;
    this.store = store;
  }

  /** A pin is in force while the link is persistent and names the marker's pod. */
  boolean pinned(LinkKeys k, int current) {
    String marker = store.string(k.pin);
    return marker != null && marker.equals(Integer.toString(current)) && store.pttl(k.link) == -1;
  }

  record LinkKeys(String link, String index, String removal, String pin, String service) {}

  LinkKeys keys(String ns, String uid, String service, int pod, long ttlSeconds) {
    Args.pod(pod);
    Args.ttlSeconds(ttlSeconds);
    return keys(ns, uid, service);
  }

  LinkKeys keys(String ns, String uid, String service) {
    return new LinkKeys(
        keys.link(ns, uid, service),
        keys.linkIndex(ns, uid),
        keys.linkRemoval(ns, uid, service),
        keys.linkPin(ns, uid, service),
        service);
  }

  void write(LinkKeys k, int pod, long ttlSeconds) {
    // index first, as the scripts do: a foreign value on the index aborts before the link write
    String value = Integer.toString(pod);
    // as sr_write: a pin ends unless the link stays persistent on the pinned pod (read first)
    boolean unpin = ttlSeconds != StatefulExecutor.PERSISTENT || !value.equals(store.string(k.pin));
    // a write re-creates the link: a delayed removal ends (its marker goes after the index
    // command, so a foreign index value aborts before anything is written)
    if (ttlSeconds == StatefulExecutor.PERSISTENT) {
      store.hashOrCreate(k.index).put(k.service, value);
      store.delete(k.removal);
      store.setString(k.link, value, -1);
    } else {
      store.hdel(k.index, k.service);
      store.delete(k.removal);
      store.setString(k.link, value, ttlSeconds * 1000L);
    }
    if (unpin) {
      store.delete(k.pin);
    }
  }

  /** As sr_delete in the scripts; returns the effective delay in ms (0 = removed now). */
  long delete(LinkKeys k, long delayMillis) {
    store.hdel(k.index, k.service);
    store.delete(k.pin); // as sr_delete: a removal ends an operator pin at once
    if (delayMillis == 0) {
      store.delete(k.link);
      store.delete(k.removal);
      return 0;
    }
    long pttl = store.pttl(k.link);
    if (pttl == -1 || pttl > delayMillis) {
      store.expire(k.link, delayMillis);
      pttl = delayMillis;
    }
    store.setString(k.removal, "1", pttl); // lives exactly as long as the link
    return pttl;
  }

  /** The pod stored at a link key; null when absent; CorruptDataException when undecodable. */
  @Nullable Integer currentPod(String linkKey) {
    String raw = store.string(linkKey);
    if (raw == null) {
      return null;
    }
    int pod = StateCodec.parseNonNegativeInt(raw);
    if (pod < 0) {
      throw new CorruptDataException("link value is not a pod index: " + abbreviate(raw));
    }
    return pod;
  }

  static @Nullable Integer podOrNull(@Nullable String raw) {
    if (raw == null) {
      return null;
    }
    int pod = StateCodec.parseNonNegativeInt(raw);
    return pod < 0 ? null : pod;
  }

  private static String abbreviate(String raw) {
    return raw.length() <= 32 ? "'" + raw + "'" : "'" + raw.substring(0, 32) + "...'";
  }
}
