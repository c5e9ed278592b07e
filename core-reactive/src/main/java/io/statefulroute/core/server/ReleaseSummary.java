package io.statefulroute.core.server;

/**
 * The outcome of a batch release of links: a pod's own ({@link ServerDriver#releaseLinks}), or a
 * gone pod's persistent links released by an operator (client driver {@code
 * releasePersistentLinks}).
 *
 * @param released links that pointed at the pod and were removed
 * @param notOwned uids not linked to the pod when their removal came (left as they were)
 * @param failed removals that failed (store errors); those links are unchanged or unknown
 */
public record ReleaseSummary(long released, long notOwned, long failed) {
  public long total() {
    return released + notOwned + failed;
  }
}
