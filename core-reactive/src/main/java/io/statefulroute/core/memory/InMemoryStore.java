package io.statefulroute.core.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A tiny key space with Redis semantics for the parts we use: string and hash values, per-key
 * expiry in milliseconds, lazy expiry on access plus a periodic sweep. Not thread-safe: the
 * executor serialises every operation (that is what makes each operation atomic, as a Lua script is
 * in Redis).
 */
final class InMemoryStore {
  private static final long NO_EXPIRY = Long.MAX_VALUE;
  private static final int SWEEP_EVERY = 4096;

  private final Map<String, Entry> entries = new HashMap<>();
  private final LongSupplier clock;
  private int opsSinceSweep;

  InMemoryStore(LongSupplier clock) {
    this.clock = clock;
  }

  long now() {
    return clock.getAsLong();
  }

  /** A value and its expiry; {@code value} is a {@code String} or a {@code Map<String,String>}. */
  static final class Entry {
    Object value;
    long expireAt;

    Entry(Object value, long expireAt) {
      this.value = value;
      this.expireAt = expireAt;
    }
  }

  /** The live entry of {@code key}, or null (an expired entry is dropped here). */
  @Nullable Entry get(String key) {
    if (++opsSinceSweep >= SWEEP_EVERY) {
      sweep();
    }
    Entry e = entries.get(key);
    if (e != null && e.expireAt <= now()) {
      entries.remove(key);
      return null;
    }
    return e;
  }

  /** A copy of every key held now, live or expired (a listing walks it, then reads each key). */
  List<String> keys() {
    return new ArrayList<>(entries.keySet());
  }

  /** The entry's remaining time to live in ms, -1 when persistent, -2 when absent (PTTL). */
  long pttl(String key) {
    Entry e = get(key);
    if (e == null) {
      return -2;
    }
    return e.expireAt == NO_EXPIRY ? -1 : e.expireAt - now();
  }

  void setString(String key, String value, long ttlMillis) {
    entries.put(key, new Entry(value, ttlMillis < 0 ? NO_EXPIRY : now() + ttlMillis));
  }

  void expire(String key, long ttlMillis) {
    Entry e = get(key);
    if (e != null) {
      if (ttlMillis <= 0) {
        entries.remove(key);
      } else {
        e.expireAt = now() + ttlMillis;
      }
    }
  }

  void persist(String key) {
    Entry e = get(key);
    if (e != null) {
      e.expireAt = NO_EXPIRY;
    }
  }

  void delete(String key) {
    entries.remove(key);
  }

  /** The hash at {@code key}; null when absent. */
  @SuppressWarnings("unchecked")
  @Nullable Map<String, String> hash(String key) {
    Entry e = get(key);
    if (e == null) {
      return null;
    }
    if (!(e.value instanceof Map)) {
      throw new WrongTypeException(key);
    }
    return (Map<String, String>) e.value;
  }

  /** The hash at {@code key}, created (empty) when absent. */
  Map<String, String> hashOrCreate(String key) {
    Map<String, String> h = hash(key);
    if (h == null) {
      h = new HashMap<>();
      entries.put(key, new Entry(h, NO_EXPIRY));
    }
    return h;
  }

  /** The string at {@code key}, or null when absent. */
  @Nullable String string(String key) {
    Entry e = get(key);
    if (e == null) {
      return null;
    }
    if (!(e.value instanceof String)) {
      throw new WrongTypeException(key);
    }
    return (String) e.value;
  }

  /** The string at {@code key}; null when absent or not a string (MGET semantics). */
  @Nullable String stringOrNull(String key) {
    Entry e = get(key);
    return e != null && e.value instanceof String ? (String) e.value : null;
  }

  void hdel(String key, String field) {
    Map<String, String> h = hash(key);
    if (h != null) {
      h.remove(field);
      if (h.isEmpty()) {
        entries.remove(key);
      }
    }
  }

  /** Writes any value, bypassing every rule: used by tests to plant corrupt data. */
  void putRaw(String key, Object value) {
    entries.put(key, new Entry(value, NO_EXPIRY));
  }

  /** The hash at {@code key}, replacing any other value: used by tests to plant data. */
  @SuppressWarnings("unchecked")
  Map<String, String> rawHash(String key) {
    Entry e = entries.get(key);
    if (e == null || !(e.value instanceof Map)) {
      e = new Entry(new HashMap<String, String>(), NO_EXPIRY);
      entries.put(key, e);
    }
    return (Map<String, String>) e.value;
  }

  private void sweep() {
    opsSinceSweep = 0;
    long now = now();
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      if (it.next().expireAt <= now) {
        it.remove();
      }
    }
  }

  /** A key holds a value of the wrong type (the in-memory WRONGTYPE). */
  static final class WrongTypeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WrongTypeException(String key) {
      super("WRONGTYPE key holds a value of the wrong type", null, false, false);
    }
  }
}
