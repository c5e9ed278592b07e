package io.statefulroute.test.redis;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A Redis a test can talk to: one standalone server, or the seed nodes of a Redis Cluster.
 *
 * <p>Servers are shared by every test class of the JVM (and may be a developer's server named by
 * {@code REDIS_URL}), so a test isolates its data by putting a {@link #uniqueNamespace()} in every
 * key (as the key namespace or the key prefix), never by flushing.
 *
 * @param kind standalone or cluster
 * @param uris {@code redis://host:port} URIs: exactly one for a standalone server, the seed nodes
 *     for a cluster (a Lettuce {@code RedisURI.create(uri)} reads each)
 * @param throwaway {@code true} when the server was started for the tests (it may be flushed and is
 *     stopped at the end), {@code false} for a server named by {@code REDIS_URL} or {@code
 *     REDIS_CLUSTER_URLS}
 */
public record RedisTarget(Kind kind, List<String> uris, boolean throwaway) {

  /** The topology of a target. */
  public enum Kind {
    /** One server. */
    STANDALONE,
    /** A Redis Cluster. */
    CLUSTER
  }

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException when {@code uris} is empty, has a blank entry, or has more
   *     than one entry for a standalone target
   */
  public RedisTarget {
    Objects.requireNonNull(kind, "kind");
    uris = List.copyOf(uris);
    if (uris.isEmpty() || uris.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("uris must be non-empty and non-blank: " + uris);
    }
    if (kind == Kind.STANDALONE && uris.size() != 1) {
      throw new IllegalArgumentException("a standalone target has exactly one uri: " + uris);
    }
  }

  /** The first URI: the server of a standalone target, the first seed node of a cluster. */
  public String uri() {
    return uris.get(0);
  }

  /** Whether this is a Redis Cluster. */
  public boolean isCluster() {
    return kind == Kind.CLUSTER;
  }

  /**
   * A new random namespace, different on every call (10 lowercase letters and digits, starting with
   * a letter): use one per test class or per test as key namespace or prefix.
   */
  public String uniqueNamespace() {
    return UniqueNamespaces.next();
  }

  /**
   * Deletes every key (FLUSHALL on each node; replicas are skipped). Prefer unique namespaces:
   * other test classes may be using the same shared server concurrently.
   *
   * @throws IllegalStateException when this target is not {@link #throwaway()}: a server named by
   *     {@code REDIS_URL} / {@code REDIS_CLUSTER_URLS} is never flushed
   */
  public void flushAll() {
    if (!throwaway) {
      throw new IllegalStateException(
          "refusing to FLUSHALL " + uris + ": not a throwaway test server");
    }
    for (String uri : uris) {
      URI parsed = URI.create(uri);
      int port = parsed.getPort() < 0 ? 6379 : parsed.getPort();
      Object reply = Resp.call(parsed.getHost(), port, "FLUSHALL");
      boolean replica =
          reply instanceof Resp.ErrorReply error && error.message().startsWith("READONLY");
      if (!"OK".equals(reply) && !replica) {
        throw new IllegalStateException("FLUSHALL on " + uri + " replied " + reply);
      }
    }
  }

  @Override
  public String toString() {
    return (isCluster() ? "cluster " : "standalone ") + String.join(",", uris);
  }
}
