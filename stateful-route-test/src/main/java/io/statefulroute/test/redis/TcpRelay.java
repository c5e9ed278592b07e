package io.statefulroute.test.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback in front of a server, for tests of what the network does to a connection:
 * it forwards bytes both ways, and on demand delays them or black-holes them. A black hole keeps
 * every socket open and reads what arrives but forwards nothing, as a NAT or a load balancer that
 * forgot an idle connection does (a half-open connection: no FIN, no RST).
 *
 * <p>Blocking sockets on daemon threads, two per relayed connection: test code only.
 */
public final class TcpRelay implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean blackHole;
  private volatile long delayMillis;
  private volatile boolean closed;

  private TcpRelay(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "tcp-relay-accept-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A relay on a free loopback port forwarding to {@code host:port}. */
  public static TcpRelay to(String host, int port) {
    try {
      return new TcpRelay(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a relay port", e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code redis://127.0.0.1:<relay port>}. */
  public String redisUri() {
    return "redis://127.0.0.1:" + port();
  }

  /** From now on, bytes in both directions are read and dropped (or, when off, forwarded). */
  public void blackHole(boolean on) {
    this.blackHole = on;
  }

  /** Delays every chunk forwarded from now on by {@code millis} (0 = none). */
  public void delay(long millis) {
    this.delayMillis = millis;
  }

  /**
   * Closes every relayed connection now (both sides see the socket close, as after a restart of a
   * proxy); new connections are accepted and relayed as before.
   */
  public void dropConnections() {
    sockets.forEach(TcpRelay::closeQuietly);
    sockets.removeIf(Socket::isClosed);
  }

  /** Bytes read and dropped while black-holed. */
  public long droppedBytes() {
    return dropped.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(target, 5_000);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  if (blackHole) {
                    dropped.addAndGet(n);
                    continue;
                  }
                  long d = delayMillis;
                  if (d > 0) {
                    Thread.sleep(d);
                  }
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // a side closed: close the other
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tcp-relay-pump-" + from.getPort());
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    sockets.forEach(TcpRelay::closeQuietly);
  }
}
