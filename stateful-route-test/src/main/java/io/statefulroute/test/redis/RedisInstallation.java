package io.statefulroute.test.redis;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The local {@code redis-server} and {@code redis-cli} binaries, found on {@code PATH} or in {@code
 * /usr/bin}, {@code /usr/local/bin}; and the settings that point tests elsewhere.
 */
final class RedisInstallation {

  static final String INSTALL_HINT =
      "install it (Debian/Ubuntu: sudo apt-get install -y redis-server)";

  /** The failure message when no Redis can be provided for the standalone target. */
  static final String NOT_FOUND =
      "redis-server not found on PATH: "
          + INSTALL_HINT
          + ", or set REDIS_URL=redis://host:port, or run Docker for Testcontainers";

  private static final List<String> EXTRA_DIRS = List.of("/usr/bin", "/usr/local/bin");

  private final Path redisServer;
  private final @Nullable Path redisCli;

  private RedisInstallation(Path redisServer, @Nullable Path redisCli) {
    this.redisServer = redisServer;
    this.redisCli = redisCli;
  }

  /** The installation on this machine's {@code PATH}, looked up once per JVM. */
  static Optional<RedisInstallation> find() {
    return Found.ON_PATH;
  }

  /** Looked up when first used (the holder idiom), once per JVM. */
  private static final class Found {
    static final Optional<RedisInstallation> ON_PATH = find(System.getenv("PATH"));
  }

  /** The installation found in the directories of {@code pathVariable} plus the usual ones. */
  static Optional<RedisInstallation> find(@Nullable String pathVariable) {
    List<Path> dirs = new ArrayList<>();
    if (pathVariable != null) {
      for (String entry : pathVariable.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          dirs.add(Path.of(entry));
        }
      }
    }
    EXTRA_DIRS.forEach(dir -> dirs.add(Path.of(dir)));
    return executable(dirs, "redis-server")
        .map(
            server -> {
              Path siblingCli = server.resolveSibling("redis-cli");
              Path cli =
                  Files.isExecutable(siblingCli)
                      ? siblingCli
                      : executable(dirs, "redis-cli").orElse(null);
              return new RedisInstallation(server, cli);
            });
  }

  /**
   * The installation, for servers that must run locally (private servers, the cluster).
   *
   * @throws IllegalStateException saying what to install, when there is none
   */
  static RedisInstallation require(String purpose) {
    return find()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "redis-server not found on PATH: " + INSTALL_HINT + "; " + purpose));
  }

  Path redisServer() {
    return redisServer;
  }

  /**
   * @throws IllegalStateException saying what to install, when redis-cli is missing
   */
  Path redisCli() {
    if (redisCli == null) {
      throw new IllegalStateException(
          "redis-cli not found next to "
              + redisServer
              + " nor on PATH: install it (Debian/Ubuntu: sudo apt-get install -y redis-tools)");
    }
    return redisCli;
  }

  /** A setting from the system property, else the environment variable; blank counts as unset. */
  static Optional<String> setting(String systemProperty, String environmentVariable) {
    String value = System.getProperty(systemProperty);
    if (value == null || value.isBlank()) {
      value = System.getenv(environmentVariable);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private static Optional<Path> executable(List<Path> dirs, String name) {
    for (Path dir : dirs) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "redis-server at " + redisServer + ", redis-cli at " + redisCli;
  }
}
