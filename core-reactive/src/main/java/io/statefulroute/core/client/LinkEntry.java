package io.statefulroute.core.client;

import java.util.concurrent.CompletableFuture;

/**
 * A cached link (the link cache's value) that knows the version of the newest link change it
 * reflects (see {@link io.statefulroute.core.LinkEvent.Linked#version()}): a link event whose
 * version is not above it must not be applied to it. Entries without one (a pod given to {@code
 * setCache}) take any event. One {@code long} more than a plain future.
 */
class LinkEntry extends CompletableFuture<Integer> {
  /** 0: none known. */
  final long version;

  /** An entry still being computed (completed later). */
  LinkEntry(long version) {
    this.version = version;
  }

  /** A cached pod that reflects the changes up to {@code version} (0: none known). */
  static LinkEntry of(int pod, long version) {
    LinkEntry entry = new LinkEntry(version);
    entry.complete(pod);
    return entry;
  }

  /** The version {@code f} reflects; 0 when it knows none. */
  static long versionOf(CompletableFuture<Integer> f) {
    return f instanceof LinkEntry e ? e.version : 0;
  }
}
