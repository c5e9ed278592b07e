package io.statefulroute.test.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free TCP ports on 127.0.0.1, each handed out at most once per JVM. A port can still be taken by
 * another process between the check and the server's bind: callers retry on "Address already in
 * use".
 */
final class FreePorts {

  /** The port a developer's own Redis may use: never handed out. */
  private static final int DEFAULT_REDIS_PORT = 6379;

  /** Redis Cluster listens on its bus port = port + 10000. */
  static final int CLUSTER_BUS_OFFSET = 10000;

  private static final int ATTEMPTS = 200;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /** A free port for a standalone server. */
  static int forStandalone() {
    for (int i = 0; i < ATTEMPTS; i++) {
      int port = ephemeral();
      if (port != DEFAULT_REDIS_PORT && HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("No free port found on 127.0.0.1 after " + ATTEMPTS + " tries");
  }

  /** A free port P for a cluster node whose bus port P + 10000 is free (and below 65536) too. */
  static int forClusterNode() {
    for (int i = 0; i < ATTEMPTS; i++) {
      int port = ephemeral();
      int bus = port + CLUSTER_BUS_OFFSET;
      if (port == DEFAULT_REDIS_PORT
          || bus > 65535
          || bus == DEFAULT_REDIS_PORT
          || HANDED_OUT.contains(port)
          || HANDED_OUT.contains(bus)
          || !isFree(bus)) {
        continue;
      }
      if (HANDED_OUT.add(port)) {
        HANDED_OUT.add(bus);
        return port;
      }
    }
    throw new IllegalStateException(
        "No free port pair (P, P+10000) found on 127.0.0.1 after " + ATTEMPTS + " tries");
  }

  private static int ephemeral() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot bind a free port on 127.0.0.1", e);
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return socket.isBound();
    } catch (IOException e) {
      return false;
    }
  }
}
