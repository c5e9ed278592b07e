package io.statefulroute.redis.internal;

import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.statefulroute.core.spi.LinkEventHub;
import io.statefulroute.core.spi.TimerScheduler;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * The watchdog of a {@link LinkEventSubscriber}'s pub/sub connection. While a namespace is watched
 * it runs on the subscriber's worker every {@code CHECK_PERIOD}: it replaces the connection when a
 * watched namespace has not been listened to for {@code reconnectAfter}, PINGs a listened-to
 * connection every {@link #PING_PERIOD} and replaces it when a PING goes unanswered for the command
 * timeout (a silent, half-open connection), and on a Redis Cluster tells the hub of a change of
 * masters ({@link ClusterMasters}).
 *
 * <p>Internal, not API: may change.
 */
final class ConnectionWatchdog {
  private static final Duration CHECK_PERIOD = Duration.ofMillis(500);

  /** How often a listened-to connection is probed with PING. */
  static final Duration PING_PERIOD = Duration.ofSeconds(1);

  /** What the watchdog sees of its subscriber and does to it; called on the worker. */
  interface Subscription {
    /** The pub/sub connection; null while none is open. */
    @Nullable StatefulRedisPubSubConnection<String, String> connection();

    /** Whether the subscriber is closed. */
    boolean closed();

    /** Closes the connection and opens a new one for the watched namespaces. */
    void replaceConnection();
  }

  private final Subscription subscription;
  private final LinkEventHub hub;
  private final Scheduler.Worker worker;
  private final Duration reconnectAfter;
  private final Duration commandTimeout;

  /** The cluster's masters as the client sees them; null on a standalone Redis. */
  private final @Nullable ClusterMasters masters;

  /** System.nanoTime() since when a watched namespace is not listened to; 0 = all are. */
  private volatile long downSince;

  /** System.nanoTime() when the PING in flight was sent; 0 = none in flight. */
  private final AtomicLong pingSentAt = new AtomicLong();

  /** Touched on the worker only: when the last PING was sent. */
  private long lastPingAt;

  /** Touched on the worker only: the checks' ticks; null while stopped. */
  private @Nullable Disposable ticks;

  ConnectionWatchdog(
      Subscription subscription,
      LinkEventHub hub,
      Scheduler.Worker worker,
      Duration reconnectAfter,
      Duration commandTimeout,
      @Nullable ClusterMasters masters) {
    this.subscription = subscription;
    this.hub = hub;
    this.worker = worker;
    this.reconnectAfter = reconnectAfter;
    this.commandTimeout = commandTimeout;
    this.masters = masters;
  }

  /** On the worker: starts the checks, unless they run. */
  void start() {
    if (ticks == null) {
      if (masters != null) {
        masters.changeSinceLastLook(); // the map a change will be told from
      }
      ticks =
          Flux.interval(CHECK_PERIOD, CHECK_PERIOD, TimerScheduler.get())
              .subscribe(tick -> worker.schedule(this::checkConnection));
    }
  }

  /** On the worker: stops the checks, if they run. */
  void stop() {
    if (ticks != null) {
      ticks.dispose();
      ticks = null;
      if (masters != null) {
        masters.forget(); // nothing watched: no one to tell of a change until the next start
      }
    }
  }

  /**
   * The PING in flight, if any, no longer counts: something was heard on the connection, or it was
   * closed, lost or reconnected. Any thread.
   */
  void clearPing() {
    pingSentAt.set(0);
  }

  /** On the worker: a namespace not listened to for too long gets a new connection. */
  private void checkConnection() {
    Set<String> watched = hub.watched();
    if (subscription.closed() || watched.isEmpty()) {
      return;
    }
    checkMasters(watched);
    long now = System.nanoTime();
    if (watched.stream().allMatch(hub::isListening)) {
      downSince = 0;
      probe(now);
      return;
    }
    long since = downSince;
    if (since == 0) {
      downSince = now;
    } else if (now - since >= reconnectAfter.toNanos()
        && !watched.stream().allMatch(hub::isListening)) { // not confirmed meanwhile
      downSince = now; // the new connection gets reconnectAfter to be confirmed
      for (String ns : watched) {
        hub.notListening(ns, "pub/sub connection replaced");
      }
      subscription.replaceConnection();
    }
  }

  /** On the worker: after a master change, subscribers re-verify what they hold. */
  private void checkMasters(Set<String> watched) {
    if (masters == null) {
      return;
    }
    String change;
    try {
      change = masters.changeSinceLastLook();
    } catch (RuntimeException e) {
      return; // the client's view could not be read (e.g. shut down): the next tick tries again
    }
    if (change != null) {
      for (String ns : watched) {
        hub.changesMayBeLost(ns, change);
      }
    }
  }

  /**
   * On the worker: sends a PING every {@link #PING_PERIOD}; one unanswered for the command timeout
   * means the connection is silent (half-open): it is reported lost and replaced.
   */
  private void probe(long now) {
    StatefulRedisPubSubConnection<String, String> c = subscription.connection();
    if (c == null) {
      return;
    }
    long sent = pingSentAt.get();
    if (sent != 0) {
      if (now - sent >= commandTimeout.toNanos()) {
        for (String ns : hub.watched()) {
          hub.notListening(
              ns,
              "pub/sub connection silent: PING unanswered for "
                  + commandTimeout.toMillis()
                  + " ms");
        }
        downSince = now; // the new connection gets reconnectAfter to be confirmed
        subscription.replaceConnection();
      }
      return;
    }
    if (now - lastPingAt < PING_PERIOD.toNanos()) {
      return;
    }
    lastPingAt = now;
    long token = now == 0 ? 1 : now;
    pingSentAt.set(token);
    c.async()
        .ping()
        .whenComplete(
            (pong, error) -> {
              if (error == null) {
                pingSentAt.compareAndSet(
                    token, 0); // a reply of a replaced connection changes nothing
              }
            });
  }
}
