package io.statefulroute.test.redis;

import java.util.List;

/**
 * Real Redis for integration tests: the shared throwaway servers and private ones to break.
 *
 * <p>In a JUnit 5 test, {@link RedisServersExtension} injects the shared servers as {@link
 * RedisTarget} parameters and stops them at the end of the run; without it, use the static methods
 * (the servers then stop at JVM exit).
 *
 * <pre>{@code
 * @ExtendWith(RedisServersExtension.class)
 * class LinkScriptsIT {
 *     @Test
 *     void set_thenGet_returnsPod(RedisTarget redis) {                  // standalone
 *         String ns = redis.uniqueNamespace(); // isolates this test's keys
 *         RedisClient client = RedisClient.create(redis.uri());
 *         ...
 *     }
 *
 *     @Test
 *     void set_onCluster_returnsPod(@RedisServersExtension.Cluster RedisTarget redis) {
 *         RedisClusterClient client = RedisClusterClient.create(
 *                 redis.uris().stream().map(RedisURI::create).toList());
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p><b>Shared targets.</b> {@link #standalone()} and {@link #cluster()} (also injected by {@link
 * RedisServersExtension} into any {@link RedisTarget} parameter of a test, lifecycle method or
 * constructor; annotate it {@link RedisServersExtension.Cluster @Cluster} for the cluster; in a
 * {@code @ParameterizedTest} only annotated ones, the others come from its arguments) start their
 * servers lazily, once per JVM, and every test class reuses them. They stop at the end of the JUnit
 * run when the extension is used, otherwise at JVM exit (a shutdown hook). Tests must isolate their
 * data with {@link RedisTarget#uniqueNamespace()}, not by flushing.
 *
 * <p><b>Where the servers come from</b>, in order:
 *
 * <ol>
 *   <li>standalone: system property {@code redis.url} or environment variable {@code REDIS_URL}
 *       (used as is, never flushed); cluster: {@code redis.cluster.urls} / {@code
 *       REDIS_CLUSTER_URLS} (comma-separated seed URIs);
 *   <li>local {@code redis-server} processes (found on {@code PATH}, {@code /usr/bin}, {@code
 *       /usr/local/bin}) on free ports of 127.0.0.1, each with its own temp dir and log: one
 *       standalone server, and a cluster of 3 masters returned only once every node agrees that all
 *       16384 slots are served;
 *   <li>standalone only: a Testcontainers {@code redis:7.0.15} container when Docker runs. The
 *       cluster target is not offered in Docker (cluster nodes announce addresses a client outside
 *       the container network cannot reach without host networking): it needs redis-server locally;
 *   <li>otherwise the test fails (never skips) with an {@link IllegalStateException} saying what to
 *       install.
 * </ol>
 *
 * The Redis a developer may run on port 6379 is never used unless named by {@code REDIS_URL}.
 *
 * <p><b>Private servers</b> for fault-injection tests: {@link #startStandalone(String...)} and
 * {@link #startCluster(int, int, String...)} start new local processes each call (they need
 * redis-server installed); the caller stops, kills, restarts and finally closes them.
 */
public final class RedisServers {

  private RedisServers() {}

  /**
   * The shared standalone server, started on first use.
   *
   * @throws IllegalStateException when no Redis can be provided (saying what to install), or the
   *     server does not start (quoting its log)
   */
  public static RedisTarget standalone() {
    return SharedServers.standalone();
  }

  /**
   * The shared 3-master Redis Cluster, started on first use; needs a local redis-server unless
   * {@code REDIS_CLUSTER_URLS} is set.
   *
   * @throws IllegalStateException when no cluster can be provided (saying what to install), or it
   *     does not become healthy (quoting the nodes' logs)
   */
  public static RedisTarget cluster() {
    return SharedServers.cluster();
  }

  /**
   * Starts a new private standalone server on a free port, for a test that will stop or break it.
   * The caller closes it.
   *
   * @param extraArgs more {@code redis-server} arguments, e.g. {@code "--requirepass", "secret"}
   * @throws IllegalStateException when redis-server is not installed, or does not start
   */
  public static RedisProcess startStandalone(String... extraArgs) {
    return RedisProcess.launch(
        RedisInstallation.require("private test servers run locally"), false, List.of(extraArgs));
  }

  /**
   * Starts a new private Redis Cluster of {@code masters} masters with {@code replicasPerMaster}
   * replicas each, and waits until it is healthy. The caller closes it.
   *
   * @param masters at least 3
   * @param replicasPerMaster 0 or more
   * @param extraArgs more {@code redis-server} arguments for every node
   * @throws IllegalArgumentException when {@code masters < 3} or {@code replicasPerMaster < 0}
   * @throws IllegalStateException when redis-server or redis-cli is not installed, or the cluster
   *     does not become healthy in time
   */
  public static RedisClusterProcesses startCluster(
      int masters, int replicasPerMaster, String... extraArgs) {
    return RedisClusterProcesses.launch(
        RedisInstallation.require("private test clusters run locally"),
        masters,
        replicasPerMaster,
        List.of(extraArgs));
  }

  /** A new random namespace; same as {@link RedisTarget#uniqueNamespace()}. */
  public static String uniqueNamespace() {
    return UniqueNamespaces.next();
  }
}
