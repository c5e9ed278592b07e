package io.statefulroute.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubListener;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.spi.LinkEventHub;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Confirmations and node losses of the shard channels, as Lettuce's event loops report them. */
class ShardSubscriptionsTest {
  private static final String NS = "eu";
  private static final KeySchema KEYS = KeySchema.defaults();

  private final LinkEventHub hub = new LinkEventHub(ns -> {}, ns -> {});
  private final Map<String, String> namespaceByChannel =
      new ConcurrentHashMap<>(Map.of(KEYS.linkChannel(NS), NS));
  private final ShardSubscriptions shards =
      new ShardSubscriptions(
          new ShardChannels(KEYS), hub, namespaceByChannel, (ns, m) -> {}, c -> {});

  private static RedisClusterNode node(int port) {
    return new RedisClusterNode(
        RedisURI.create("redis://127.0.0.1:" + port),
        "n" + port,
        true,
        null,
        0,
        0,
        1,
        List.of(),
        Set.of(RedisClusterNode.NodeFlag.UPSTREAM));
  }

  @Test
  void aNodeLostWhileTheLastChannelIsConfirmed_leavesTheNamespaceNotListenedTo() throws Exception {
    List<String> channels = shards.channels(NS);
    for (int slot = 0; slot < channels.size() - 1; slot++) { // all but the last, on two nodes
      shards.confirmed(NS, channels.get(slot), slot < 8000 ? "127.0.0.1:7001" : "127.0.0.1:7000");
    }
    RedisClusterPubSubListener<String, String> listener = shards.listener();
    Thread last =
        new Thread(() -> listener.ssubscribed(node(7000), channels.get(channels.size() - 1), 1));
    synchronized (hub) { // the hub busy (another event loop reporting): the confirmation waits
      last.start();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (last.getState() != Thread.State.BLOCKED && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      assertThat(last.getState()).isEqualTo(Thread.State.BLOCKED);
      shards.nodeLost("127.0.0.1:7001", "pub/sub connection lost"); // meanwhile node 7001 is lost
    }
    last.join(TimeUnit.SECONDS.toMillis(5));
    assertThat(hub.isListening(NS))
        .as("8,000 channels are not subscribed: the namespace must not be listened to")
        .isFalse();
  }
}
