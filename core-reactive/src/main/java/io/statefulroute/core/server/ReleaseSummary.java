package io.statefulroute.core.server;

/**
 * The outcome of a batch release of links.
 *
 * @param released links that pointed at this pod and were removed
 * @param notOwned uids not linked to this pod (left as they were)
 * @param failed   removals that failed (store errors); those links are unchanged or unknown
 */
public record ReleaseSummary(long released, long notOwned, long failed) {
  public long total() {
    return released + notOwned + failed;
  }
}
