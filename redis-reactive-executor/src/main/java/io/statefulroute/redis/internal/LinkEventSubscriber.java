package io.statefulroute.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.spi.LinkAnnouncements;
import io.statefulroute.core.spi.LinkEventHub;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Listens to the link-change channels of the watched namespaces on one pub/sub connection of its
 * own, opened when the first namespace is watched and closed with the last, and feeds a {@link
 * LinkEventHub}.
 *
 * <p>All connection work (connect, SUBSCRIBE, UNSUBSCRIBE, reconnect) runs serially on one worker
 * of {@code boundedElastic}, so callers never block. Lettuce reconnects a lost connection and
 * resubscribes its channels by itself; each confirmation ({@code subscribed}) is reported as {@link
 * LinkEvent.Subscribed}, each disconnect as {@link LinkEvent.Unsubscribed}. When a watched
 * namespace has not been listened to for {@code reconnectAfter} (connection down, or a
 * resubscription never confirmed), the connection is replaced by a new one (on a cluster the client
 * then picks a node that is up: a dead node is never coming back under the same role).
 *
 * <p>A connection that is up but hears nothing cannot be told from a quiet namespace, and a
 * half-open TCP connection (a NAT or load balancer that dropped it while idle) sends no disconnect.
 * So while every namespace is listened to, a {@code PING} goes on the connection every {@link
 * ConnectionWatchdog#PING_PERIOD}; one unanswered within the command timeout counts as the
 * connection lost: every namespace gets {@link LinkEvent.Unsubscribed} (clients re-verify their
 * entries when it is confirmed again) and the connection is replaced at once.
 *
 * <p>On a Redis Cluster the same watchdog looks at the client's view of the masters ({@link
 * ClusterMasters}) every {@code CHECK_PERIOD}: after a master change, changes may have been lost (a
 * failover drops the writes the old master acknowledged but had not replicated, and their
 * announcements describe links the store no longer holds), so every namespace listened to gets
 * {@link LinkEvent.Unsubscribed} and at once {@link LinkEvent.Subscribed} again ({@link
 * LinkEventHub#changesMayBeLost}): clients re-read what they cached.
 *
 * <p>With {@link ShardChannels} (a cluster with sharded announcements) each namespace is 16,384
 * shard channels, subscribed with {@code SSUBSCRIBE} on the nodes of their slots and followed
 * across failovers, slot moves and node restarts by {@link ShardSubscriptions}.
 *
 * <p>Internal, not API: may change.
 */
public final class LinkEventSubscriber implements AutoCloseable {
  private final Supplier<StatefulRedisPubSubConnection<String, String>> connect;
  private final KeySchema keys;
  private final Duration reconnectAfter;
  private final Duration commandTimeout;
  private final LinkEventHub hub;

  private final Scheduler.Worker worker = Schedulers.boundedElastic().createWorker();
  private final Map<String, String> namespaceByChannel = new ConcurrentHashMap<>();
  private final AtomicLong malformed = new AtomicLong();
  private final Listener listener = new Listener();
  private final ConnectionWatchdog watchdog;

  /** The sharded subscriptions; null: one classic channel per namespace. */
  private final @Nullable ShardSubscriptions shards;

  /** Shard channels Redis unsubscribed, to subscribe again at the next reconcile. */
  private final Set<String> unsubscribedByRedis = ConcurrentHashMap.newKeySet();

  /** Whether a reconcile is scheduled and has not started. */
  private final AtomicBoolean reconcilePending = new AtomicBoolean();

  /** Touched on the worker only. */
  private @Nullable StatefulRedisPubSubConnection<String, String> connection;

  /** Touched on the worker only: the channels SUBSCRIBEd on {@link #connection}. */
  private final Set<String> subscribed = new HashSet<>();

  private volatile boolean closed;

  /** Between Lettuce's disconnect of the connection and its reconnect (channels not confirmed). */
  private volatile boolean disconnected;

  /**
   * @param masters the cluster's masters, looked at for changes while a namespace is watched; null
   *     on a standalone Redis (there a master change closes the connection: a restart, or a
   *     Sentinel failover, which Lettuce follows on reconnect)
   * @param shards the sharded channels to subscribe to (a cluster with sharded announcements);
   *     null: the namespace's channel
   */
  public LinkEventSubscriber(
      Supplier<StatefulRedisPubSubConnection<String, String>> connect,
      KeySchema keys,
      Duration reconnectAfter,
      Duration commandTimeout,
      @Nullable ClusterMasters masters,
      @Nullable ShardChannels shards) {
    this.connect = connect;
    this.keys = keys;
    this.reconnectAfter = reconnectAfter;
    this.commandTimeout = commandTimeout;
    this.hub = new LinkEventHub(ns -> reconcileLater(), ns -> reconcileLater());
    this.watchdog =
        new ConnectionWatchdog(new Watched(), hub, worker, reconnectAfter, commandTimeout, masters);
    this.shards =
        shards == null
            ? null
            : new ShardSubscriptions(
                shards, hub, namespaceByChannel, this::heard, this::unsubscribedByRedis);
  }

  /** The link events of a namespace; see {@code StatefulExecutor.linkEvents}. */
  public Flux<LinkEvent> events(String namespace) {
    return hub.events(namespace);
  }

  /** Announcements heard that could not be decoded (and were dropped). */
  public long malformedAnnouncements() {
    return malformed.get();
  }

  @Override
  public void close() {
    closed = true;
    hub.close();
    worker.schedule(
        () -> {
          watchdog.stop();
          closeConnection();
          worker.dispose();
        });
  }

  private void reconcileLater() {
    if (!closed && reconcilePending.compareAndSet(false, true)) {
      worker.schedule(this::reconcile);
    }
  }

  /** On the worker: brings the connection and its channels in line with the watched set. */
  private void reconcile() {
    reconcilePending.set(false);
    if (closed) {
      return;
    }
    Map<String, String> wanted = new HashMap<>(); // channel to namespace
    for (String ns : hub.watched()) {
      String channel = keys.linkChannel(ns);
      namespaceByChannel.put(channel, ns);
      if (shards == null) {
        wanted.put(channel, ns);
      } else {
        shards.channels(ns).forEach(c -> wanted.put(c, ns));
      }
    }
    for (Iterator<String> lost = unsubscribedByRedis.iterator(); lost.hasNext(); ) {
      subscribed.remove(lost.next()); // subscribed again below
      lost.remove();
    }
    if (wanted.isEmpty()) {
      watchdog.stop();
      closeConnection();
      return;
    }
    watchdog.start();
    try {
      if (connection == null) {
        connection = open();
        connection.setTimeout(commandTimeout);
        connection.addListener((RedisPubSubAdapter<String, String>) listener);
        connection.addListener((RedisConnectionStateListener) listener);
        if (shards != null) {
          shards.listenTo(connection);
        }
      }
      Set<String> toAdd = new HashSet<>(wanted.keySet());
      toAdd.removeAll(subscribed);
      Set<String> toRemove = new HashSet<>(subscribed);
      toRemove.removeAll(wanted.keySet());
      if (connection.isOpen() && !disconnected) {
        // a namespace watched again before its UNSUBSCRIBE ran was never unsubscribed, so no
        // confirmation would come: SUBSCRIBE it again, and Redis confirms it (in order, through
        // subscribed()). Not while Lettuce reconnects: its resubscription confirms it then. Nor a
        // shard channel Redis unsubscribed since the loop above: the next reconcile subscribes it,
        // and this one too would subscribe it twice, at two nodes if the client's view of the
        // slots changes in between
        for (Map.Entry<String, String> w : wanted.entrySet()) {
          if (subscribed.contains(w.getKey())
              && !hub.isListening(w.getValue())
              && (shards == null || !shards.isConfirmed(w.getKey()))
              && !unsubscribedByRedis.contains(w.getKey())) {
            toAdd.add(w.getKey());
          }
        }
      }
      if (!toRemove.isEmpty()) {
        await(
            shards == null
                ? List.of(connection.async().unsubscribe(toRemove.toArray(new String[0])))
                : ShardSubscriptions.unsubscribe(connection, toRemove));
        subscribed.removeAll(toRemove);
      }
      if (!toAdd.isEmpty()) {
        if (shards == null) {
          await(List.of(connection.async().subscribe(toAdd.toArray(new String[0]))));
        } else {
          for (List<String> window : ShardSubscriptions.windows(toAdd)) {
            await(ShardSubscriptions.subscribe(connection, window));
          }
        }
        subscribed.addAll(toAdd);
      }
      if (shards != null) {
        shards.watchNodes(connection);
      }
    } catch (RuntimeException | ExecutionException | TimeoutException e) {
      // Redis unreachable (or the subscription timed out): report; the watchdog starts over on
      // a new connection after reconnectAfter.
      for (String ns : wanted.values()) {
        hub.notListening(ns, "cannot subscribe: " + e.getMessage());
      }
      closeConnection();
    }
  }

  /**
   * Opens a connection, waiting at most {@link #connectBound}: a connection opened into a network
   * that drops everything (the half-open case this class probes for) would otherwise wait for the
   * handshake as long as the client's URI timeout (Lettuce's default: 60 s), and the worker with
   * it. A connection that completes after the wait is closed.
   */
  private StatefulRedisPubSubConnection<String, String> open()
      throws ExecutionException, TimeoutException {
    CompletableFuture<StatefulRedisPubSubConnection<String, String>> opening =
        CompletableFuture.supplyAsync(connect, task -> Schedulers.boundedElastic().schedule(task));
    try {
      return opening.get(connectBound().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      var unused = opening.thenAccept(LinkEventSubscriber::closeInBackground);
      throw new TimeoutException(
          "pub/sub connection not open within " + connectBound().toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      var unused = opening.thenAccept(LinkEventSubscriber::closeInBackground);
      throw new IllegalStateException("interrupted while connecting", e);
    }
  }

  /**
   * How long opening a connection may take: its handshake is a few round trips (HELLO, CLIENT
   * SETINFO, AUTH), so four command timeouts, and never less than {@code reconnectAfter}.
   */
  Duration connectBound() {
    Duration handshake = commandTimeout.multipliedBy(4);
    return handshake.compareTo(reconnectAfter) > 0 ? handshake : reconnectAfter;
  }

  /**
   * Waits for (un)subscriptions, each at most the command timeout after the one before. Not the
   * sync API: on a cluster, Lettuce's own timeout does not bound a command queued while the node
   * connection reconnects, and this worker must never hang.
   */
  private void await(List<RedisFuture<Void>> futures) throws ExecutionException, TimeoutException {
    try {
      for (RedisFuture<Void> future : futures) {
        // each within the command timeout of the one before: 16,384 shard channels take far
        // longer than one command on a busy node, but a node that stopped answering fails soon
        future.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while subscribing", e);
    } catch (TimeoutException e) {
      futures.forEach(f -> f.cancel(true));
      throw e;
    }
  }

  /** An announcement heard on a channel of {@code ns} (any thread). */
  private void heard(String ns, String message) {
    watchdog.clearPing(); // heard something: the connection is alive (a PONG may queue behind)
    LinkEvent event = LinkAnnouncements.decode(ns, message);
    if (event == null) {
      malformed.incrementAndGet();
      return;
    }
    hub.deliver(event);
  }

  /** Redis unsubscribed a shard channel (its slot left the node): subscribe it again. */
  private void unsubscribedByRedis(String channel) {
    unsubscribedByRedis.add(channel);
    reconcileLater();
  }

  private void closeConnection() {
    watchdog.clearPing();
    if (connection != null) {
      StatefulRedisPubSubConnection<String, String> old = connection;
      connection = null;
      disconnected = false;
      subscribed.clear();
      if (shards != null) {
        shards.stopListening(old);
        shards.clear();
      }
      old.removeListener((RedisPubSubAdapter<String, String>) listener);
      old.removeListener((RedisConnectionStateListener) listener);
      closeInBackground(old);
    }
  }

  /** Lettuce callbacks: messages and confirmations on its event loop, connection events. */
  private final class Listener extends RedisPubSubAdapter<String, String>
      implements RedisConnectionStateListener {
    @Override
    public void message(String channel, String message) {
      String ns = namespaceByChannel.get(channel);
      if (ns != null) {
        heard(ns, message);
      }
    }

    @Override
    public void subscribed(String channel, long count) {
      String ns = namespaceByChannel.get(channel);
      if (ns != null) {
        hub.listening(ns);
      }
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
      disconnected = false;
      watchdog.clearPing(); // a PING of the lost connection will never be answered
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
      disconnected = true;
      watchdog.clearPing();
      for (String ns : hub.watched()) {
        hub.notListening(ns, "pub/sub connection lost");
      }
    }
  }

  /** What the watchdog sees of this subscriber and does to it (on the worker). */
  private final class Watched implements ConnectionWatchdog.Subscription {
    @Override
    public @Nullable StatefulRedisPubSubConnection<String, String> connection() {
      return connection;
    }

    @Override
    public boolean closed() {
      return closed;
    }

    @Override
    public void replaceConnection() {
      closeConnection();
      reconcile();
    }
  }

  /** Closes {@code connection} without waiting: nothing of it is used any more. */
  private static void closeInBackground(StatefulRedisPubSubConnection<String, String> connection) {
    var unused = connection.closeAsync();
  }
}
