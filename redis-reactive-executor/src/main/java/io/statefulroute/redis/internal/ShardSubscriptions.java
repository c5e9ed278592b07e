package io.statefulroute.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubListener;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.spi.LinkEventHub;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The sharded subscriptions of a {@link LinkEventSubscriber} on a Redis Cluster: each namespace's
 * {@link ShardChannels} ({@code SSUBSCRIBE}, one per slot), which Lettuce routes by slot to the
 * node connection of the slot's master. A namespace is listened to once every one of its channels
 * is confirmed ({@code ssubscribed}). A channel stops being confirmed when
 *
 * <ul>
 *   <li>Redis unsubscribes it ({@code sunsubscribed} not asked for): its slot left the node, as a
 *       master demoted by a failover or a slot migrated away does. The subscriber subscribes it
 *       again; Lettuce routes it by its current view of the slots (a replica of the slot's master
 *       accepts it too, and hears the shard's messages);
 *   <li>the node connection that confirmed it is lost (a node restart, a kill, a network cut).
 *       Lettuce reconnects it, but its own resubscription sends the node's channels in one
 *       SSUBSCRIBE, which Redis refuses with CROSSSLOT when they span slots; so the namespace stays
 *       not listened to until the subscriber replaces the whole connection ({@code
 *       reconnectAfter}), which subscribes and routes every channel afresh.
 * </ul>
 *
 * Either way the namespace is reported not listened to, and listened to again once every channel is
 * confirmed, so clients re-verify the links they cached meanwhile.
 *
 * <p>Each channel counts as subscribed at one node, the first to confirm it: a confirmation by
 * another node while that one holds it is a duplicate subscription, dropped at once ({@link
 * #dropAt}), and an {@code sunsubscribed} from a node other than the one counted changes nothing.
 *
 * <p>Callbacks arrive on Lettuce's event loops; the subscription work runs on the subscriber's
 * worker. Thread-safe.
 *
 * <p>Internal, not API: may change.
 */
final class ShardSubscriptions {
  private final ShardChannels shards;
  private final LinkEventHub hub;

  /** The subscriber's map of classic channel ({@link KeySchema#linkChannel}) to namespace. */
  private final Map<String, String> namespaceByChannel;

  /** Where an announcement heard goes: namespace, message. */
  private final BiConsumer<String, String> heard;

  /** Told of a channel Redis unsubscribed while its namespace is watched. */
  private final Consumer<String> unsubscribedByRedis;

  /** A confirmed channel to the node (host:port) whose connection confirmed it. */
  private final Map<String, String> confirmedOn = new ConcurrentHashMap<>();

  /** A namespace's confirmed channels. */
  private final Map<String, Set<String>> confirmedByNamespace = new ConcurrentHashMap<>();

  /** The cluster pub/sub connection listened to; null: none. */
  private volatile @Nullable StatefulRedisClusterPubSubConnection<String, String> cluster;

  /** Subscriptions dropped at a node because the channel was confirmed at another one too. */
  private final AtomicLong duplicatesDropped = new AtomicLong();

  /** Touched on the worker only: node connections this class listens to for disconnects. */
  private final Set<Object> watchedNodes = Collections.newSetFromMap(new IdentityHashMap<>());

  ShardSubscriptions(
      ShardChannels shards,
      LinkEventHub hub,
      Map<String, String> namespaceByChannel,
      BiConsumer<String, String> heard,
      Consumer<String> unsubscribedByRedis) {
    this.shards = shards;
    this.hub = hub;
    this.namespaceByChannel = namespaceByChannel;
    this.heard = heard;
    this.unsubscribedByRedis = unsubscribedByRedis;
  }

  /** Every channel of {@code ns}. */
  List<String> channels(String ns) {
    return shards.channels(ns);
  }

  /** Whether {@code channel} is confirmed. */
  boolean isConfirmed(String channel) {
    return confirmedOn.containsKey(channel);
  }

  /**
   * A confirmation of {@code channel} of {@code ns} by {@code node}.
   *
   * @return whether every channel of {@code ns} is confirmed now
   */
  boolean confirmed(String ns, String channel, String node) {
    confirmedOn.put(channel, node);
    Set<String> all = confirmedByNamespace.computeIfAbsent(ns, n -> ConcurrentHashMap.newKeySet());
    all.add(channel);
    return all.size() == SlotHash.SLOT_COUNT;
  }

  /** {@code channel} of {@code ns} is no longer subscribed. */
  void lost(String ns, String channel) {
    confirmedOn.remove(channel);
    Set<String> all = confirmedByNamespace.get(ns);
    if (all != null) {
      all.remove(channel);
    }
  }

  /**
   * The connection to {@code node} was lost: the channels it had confirmed are no longer, and their
   * namespaces not listened to. Any thread.
   */
  void nodeLost(String node, String reason) {
    Set<String> lost = new HashSet<>();
    for (Map.Entry<String, String> e : confirmedOn.entrySet()) {
      if (e.getValue().equals(node)) {
        lost.add(e.getKey());
      }
    }
    for (String channel : lost) {
      String ns = namespaceOf(channel);
      if (ns != null) {
        synchronized (hub) { // atomic with a confirmation's check and listening: see ssubscribed
          lost(ns, channel);
          hub.notListening(ns, reason);
        }
      }
    }
  }

  /** The namespace of a shard channel; null when none is known. */
  @Nullable String namespaceOf(String channel) {
    String base = ShardChannels.namespaceChannel(channel);
    return base == null ? null : namespaceByChannel.get(base);
  }

  /** The cluster listener of the shard channels: messages, confirmations by node. */
  private final RedisClusterPubSubListener<String, String> listener = newListener();

  /** The cluster listener (what {@link #listenTo} adds). */
  RedisClusterPubSubListener<String, String> listener() {
    return listener;
  }

  /** Listens to {@code connection}'s shard channels (a cluster connection; others: nothing). */
  void listenTo(StatefulRedisPubSubConnection<String, String> connection) {
    if (connection instanceof StatefulRedisClusterPubSubConnection<String, String> c) {
      cluster = c;
      c.addListener(listener);
    }
  }

  /** No longer listens to {@code connection}, which is being closed. */
  void stopListening(StatefulRedisPubSubConnection<String, String> connection) {
    if (connection instanceof StatefulRedisClusterPubSubConnection<String, String> c) {
      c.removeListener(listener);
      if (cluster == c) {
        cluster = null;
      }
    }
  }

  private RedisClusterPubSubListener<String, String> newListener() {
    return new RedisClusterPubSubAdapter<>() {
      @Override
      public void smessage(RedisClusterNode node, String channel, String message) {
        String ns = namespaceOf(channel);
        if (ns != null) {
          heard.accept(ns, message);
        }
      }

      @Override
      public void ssubscribed(RedisClusterNode node, String channel, long count) {
        String ns = namespaceOf(channel);
        if (ns == null) {
          return;
        }
        String at = nodeKey(node);
        boolean duplicate;
        // the count and the listening at once: a channel lost on another node's event loop
        // between them would otherwise be listened to although it is no longer subscribed
        synchronized (hub) {
          String holder = confirmedOn.get(channel);
          duplicate = holder != null && !holder.equals(at);
          if (!duplicate && confirmed(ns, channel, at)) {
            hub.listening(ns);
          }
        }
        if (duplicate) {
          dropAt(at, channel);
        }
      }

      @Override
      public void sunsubscribed(RedisClusterNode node, String channel, long count) {
        String ns = namespaceOf(channel);
        if (ns == null) {
          return;
        }
        synchronized (hub) {
          String holder = confirmedOn.get(channel);
          if (holder != null && !holder.equals(nodeKey(node))) {
            return; // not the subscription counted: a duplicate dropped (see dropAt)
          }
          if (hub.watched().contains(ns)) { // not asked for: the slot left that node
            // pending again before it is unconfirmed: a reconcile that sees it unconfirmed also
            // sees it pending, and leaves it to the next one (else it would subscribe it twice)
            unsubscribedByRedis.accept(channel);
            hub.notListening(ns, "shard channel unsubscribed by " + nodeKey(node));
          }
          lost(ns, channel);
        }
      }
    };
  }

  /**
   * {@code channel}, confirmed at another node, is now confirmed at {@code node} too: it was
   * subscribed twice, each time routed by the client's view of the slots then (across a failover,
   * once at the demoted master, which as a replica of the slot's master accepts it, and once at the
   * new master). Every announcement would be heard twice, and a cache drops an entry on an
   * announcement no newer than the entry. So the new subscription is dropped, with a SUNSUBSCRIBE
   * on {@code node}'s own connection (not routed by slot), and the one counted stays: it hears the
   * shard's announcements without a gap, where dropping it instead would lose one that its master
   * had already sent it over the cluster bus and that arrives after the SUNSUBSCRIBE (seen: 4 of 20
   * changes lost that way). The drop's confirmation is ignored ({@code sunsubscribed}).
   */
  private void dropAt(String node, String channel) {
    duplicatesDropped.incrementAndGet();
    StatefulRedisClusterPubSubConnection<String, String> c = cluster;
    int colon = node.lastIndexOf(':');
    if (c == null || colon < 0) {
      return;
    }
    try {
      var unused =
          c.getConnectionAsync(
                  node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)))
              .thenAccept(
                  at -> {
                    var unusedReply = at.async().sunsubscribe(channel); // its reply changes nothing
                  });
    } catch (RuntimeException notInTheTopology) {
      // the node left the topology: the client closes its connection, and the duplicate with it
    }
  }

  /** Subscriptions dropped at a node because their channel was confirmed at another one too. */
  long duplicatesDropped() {
    return duplicatesDropped.get();
  }

  /** Every confirmation forgotten (the connection is closed). On the worker. */
  void clear() {
    confirmedOn.clear();
    confirmedByNamespace.clear();
    watchedNodes.clear();
  }

  /**
   * SSUBSCRIBEs sent at once: the next window goes when this one is confirmed, so that 16,384 of
   * them per namespace do not crowd out the commands that share the client's event loops and the
   * masters (seen: 8 executors subscribing all at once timed out the commands of RoutingClusterIT).
   */
  static final int WINDOW = 256;

  /** {@code channels} in windows of {@link #WINDOW}. */
  static List<List<String>> windows(Collection<String> channels) {
    List<String> all = new ArrayList<>(channels);
    List<List<String>> windows = new ArrayList<>();
    for (int i = 0; i < all.size(); i += WINDOW) {
      windows.add(all.subList(i, Math.min(all.size(), i + WINDOW)));
    }
    return windows;
  }

  /** Sends one SSUBSCRIBE per channel (each to the node of its slot). */
  static List<RedisFuture<Void>> subscribe(
      StatefulRedisPubSubConnection<String, String> connection, Collection<String> channels) {
    List<RedisFuture<Void>> sent = new ArrayList<>(channels.size());
    for (String channel : channels) {
      sent.add(connection.async().ssubscribe(channel));
    }
    return sent;
  }

  /** Sends one SUNSUBSCRIBE per channel. */
  static List<RedisFuture<Void>> unsubscribe(
      StatefulRedisPubSubConnection<String, String> connection, Collection<String> channels) {
    List<RedisFuture<Void>> sent = new ArrayList<>(channels.size());
    for (String channel : channels) {
      sent.add(connection.async().sunsubscribe(channel));
    }
    return sent;
  }

  /**
   * On the worker: listens for the loss of each master's node connection (the connections the
   * SSUBSCRIBEs were routed to): see {@link #nodeLost}.
   */
  void watchNodes(StatefulRedisPubSubConnection<String, String> connection) {
    if (!(connection instanceof StatefulRedisClusterPubSubConnection<String, String> cluster)) {
      return;
    }
    for (RedisClusterNode node : cluster.getPartitions()) {
      if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM) || node.getSlots().isEmpty()) {
        continue;
      }
      String key = nodeKey(node);
      StatefulRedisPubSubConnection<String, String> nodeConnection;
      try {
        nodeConnection = cluster.getConnection(node.getUri().getHost(), node.getUri().getPort());
      } catch (RuntimeException unreachable) {
        continue; // its channels are not confirmed: the watchdog replaces the connection
      }
      if (watchedNodes.add(nodeConnection)) {
        nodeConnection.addListener(
            new RedisConnectionStateListener() {
              @Override
              public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                nodeLost(key, "pub/sub connection lost"); // as for the main connection
              }
            });
      }
    }
  }

  /** A node as the confirmations name it: host:port of its URI. */
  static String nodeKey(@Nullable RedisClusterNode node) {
    return node == null ? "?" : node.getUri().getHost() + ":" + node.getUri().getPort();
  }
}
