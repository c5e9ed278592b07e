package io.statefulroute.test.redis;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The fallback standalone server: a Testcontainers {@code redis:7.0.15} container, used only when
 * {@code redis-server} is not installed. Referenced only on that path, so modules that reuse this
 * package without Testcontainers on their test classpath work as long as redis-server is installed.
 */
final class DockerRedis implements AutoCloseable {

  /** Pinned: the Redis version the project is verified against. */
  static final String IMAGE = "redis:7.0.15";

  private static final int REDIS_PORT = 6379;

  private final GenericContainer<?> container;

  private DockerRedis(GenericContainer<?> container) {
    this.container = container;
  }

  /** Whether Testcontainers is on the classpath and finds a working Docker. */
  static boolean isAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Starts the container and waits until Redis listens. */
  static DockerRedis start() {
    GenericContainer<?> container =
        new GenericContainer<>(DockerImageName.parse(IMAGE))
            .withExposedPorts(REDIS_PORT)
            .withCommand("redis-server", "--save", "", "--appendonly", "no");
    container.start();
    DockerRedis redis = new DockerRedis(container);
    Cleanup.register(redis);
    return redis;
  }

  String uri() {
    return "redis://" + container.getHost() + ":" + container.getMappedPort(REDIS_PORT);
  }

  @Override
  public void close() {
    Cleanup.unregister(this);
    container.stop();
  }

  @Override
  public String toString() {
    return "Docker " + IMAGE + " container";
  }
}
