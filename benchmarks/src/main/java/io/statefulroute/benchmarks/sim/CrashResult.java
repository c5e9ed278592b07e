package io.statefulroute.benchmarks.sim;

/**
 * How the users of the crashed pod moved. Latencies are milliseconds after the crash, over the
 * users that made a request (and were relinked) before the end of the run.
 *
 * @param pod the crashed pod
 * @param linkedUsers uids the store linked to it when it crashed
 * @param relinked of those, the ones later served by another pod
 * @param firstMillis the first such relink; {@code -1} when none
 * @param p50Millis median time to relink
 * @param p99Millis 99th percentile
 * @param maxMillis the slowest
 * @param podDownErrors requests routed to the crashed pod while it was down
 */
record CrashResult(
    int pod,
    int linkedUsers,
    int relinked,
    long firstMillis,
    long p50Millis,
    long p99Millis,
    long maxMillis,
    long podDownErrors) {}
