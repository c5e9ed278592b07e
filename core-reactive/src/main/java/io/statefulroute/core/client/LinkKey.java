package io.statefulroute.core.client;

import io.statefulroute.core.spi.Args;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The local cache key of a link: (namespace, uid, service). Keys made by {@link #of} are validated;
 * {@link #lookup} makes one for a cache lookup without the checks, which is sound because the cache
 * only ever holds validated keys and validity depends on the strings' contents alone: a lookup that
 * finds an entry proves its arguments valid, and one that finds none validates them before anything
 * else happens (see {@link DefaultClientDriver#computeLinkedPod}). The hit path so skips scanning
 * every character of its three arguments on every call.
 */
final class LinkKey {
  private final String namespace;
  private final String uid;
  private final String service;

  private LinkKey(String namespace, String uid, String service) {
    this.namespace = namespace;
    this.uid = uid;
    this.service = service;
  }

  /** The key of (namespace, uid, service), each checked by {@link Args}. */
  static LinkKey of(String namespace, String uid, String service) {
    return new LinkKey(Args.namespace(namespace), Args.uid(uid), Args.service(service));
  }

  /** A key for a cache lookup only, not checked; null arguments find nothing. */
  @SuppressWarnings("NullAway") // a null component only ever reaches equals and hashCode
  static LinkKey lookup(
      @Nullable String namespace, @Nullable String uid, @Nullable String service) {
    return new LinkKey(namespace, uid, service);
  }

  String namespace() {
    return namespace;
  }

  String uid() {
    return uid;
  }

  String service() {
    return service;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LinkKey k
        && Objects.equals(uid, k.uid)
        && Objects.equals(service, k.service)
        && Objects.equals(namespace, k.namespace);
  }

  @Override
  public int hashCode() {
    return (31 * Objects.hashCode(namespace) + Objects.hashCode(uid)) * 31
        + Objects.hashCode(service);
  }

  @Override
  public String toString() {
    return "LinkKey[namespace=" + namespace + ", uid=" + uid + ", service=" + service + "]";
  }
}
