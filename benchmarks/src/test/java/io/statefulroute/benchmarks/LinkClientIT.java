package io.statefulroute.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

/**
 * The clients {@code ExecutorThroughput} compares really run their operations on a real Redis: the
 * raw-Lettuce baseline sends the executor's script with the keys that script takes (a script that
 * gained a key once left the baseline failing every call, unnoticed until it was run), and so do
 * the peers (Spring Data Redis reactive, Redisson reactive).
 */
class LinkClientIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest
  @ValueSource(
      strings = {
        LinkClient.EXECUTOR,
        LinkClient.EXECUTOR_NO_COALESCE,
        LinkClient.LETTUCE,
        LinkClient.SPRING_DATA_REDIS,
        LinkClient.REDISSON
      })
  void everyOperation_onAPopulatedPool_answersTheStoredLinks(String name)
      throws InterruptedException {
    String uri = RedisServers.standalone().uri();
    RedisClient client = RedisClient.create(uri);
    LinkPool pool = new LinkPool(64, 16);
    try (StatefulRedisConnection<String, String> admin = client.connect(StringCodec.UTF8)) {
      pool.populate(admin.async());
      try (LinkClient links = LinkClient.open(name, client, BenchmarkRedis.standalone(uri), pool)) {
        for (int i = 0; i < pool.size(); i++) {
          // set-if-absent proposes another pod: the stored link wins
          assertThat(String.valueOf(Mono.from(links.setLinkIfAbsent(i)).block(WAIT)))
              .as("set-if-absent of uid %d", i)
              .startsWith(LinkPool.podArg(LinkPool.pod(i)));
          assertThat(String.valueOf(Mono.from(links.getLink(i)).block(WAIT)))
              .isEqualTo(LinkPool.podArg(LinkPool.pod(i)));
        }
        // every client's batch reply, whatever its shape, carries the batch's 16 links
        ClosedLoop loop = new ClosedLoop(1);
        loop.acquire();
        loop.run(links.batchGetLinks(0), "", pool.batchSize());
        loop.drain();
        assertThat(loop.completed()).isEqualTo(1);
      } finally {
        pool.delete(admin.async());
      }
    } finally {
      client.shutdown();
    }
  }
}
