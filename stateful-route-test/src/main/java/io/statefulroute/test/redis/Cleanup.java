package io.statefulroute.test.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Everything this package starts is registered here and closed by one JVM shutdown hook, newest
 * first, so no {@code redis-server} outlives the test JVM even when a test forgets to close it.
 */
final class Cleanup {

  private static final Set<AutoCloseable> OPEN = Collections.synchronizedSet(new LinkedHashSet<>());

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(Cleanup::closeAll, "redis-test-servers-cleanup"));
  }

  private Cleanup() {}

  static void register(AutoCloseable resource) {
    OPEN.add(resource);
  }

  static void unregister(AutoCloseable resource) {
    OPEN.remove(resource);
  }

  static void closeAll() {
    List<AutoCloseable> snapshot;
    synchronized (OPEN) {
      snapshot = new ArrayList<>(OPEN);
    }
    Collections.reverse(snapshot);
    for (AutoCloseable resource : snapshot) {
      try {
        resource.close();
      } catch (Exception | LinkageError e) {
        System.err.println("[redis-testing] cleanup of " + resource + " failed: " + e);
      }
    }
  }

  /** Deletes a directory tree; missing is fine. */
  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + root, e);
    }
  }
}
