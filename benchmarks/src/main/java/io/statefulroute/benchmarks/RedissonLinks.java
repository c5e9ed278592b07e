package io.statefulroute.benchmarks;

import java.util.List;
import org.reactivestreams.Publisher;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RScriptReactive;
import org.redisson.api.RedissonClient;
import org.redisson.api.RedissonReactiveClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * A peer: Redisson reactive with its default settings (its connection pool, its own Netty event
 * loops). Set-if-absent is EVALSHA of the very script the executor runs ({@link
 * RScriptReactive#evalSha}, the script loaded by {@link LinkPool#populate}), reads are a bucket's
 * {@code get} and the buckets' {@code get(keys...)} (MGET) of keys computed beforehand, all with
 * Redisson's string codec. Replies are Redisson's (strings, a map for MGET).
 */
final class RedissonLinks implements LinkClient {
  private final RedissonClient client;
  private final RedissonReactiveClient reactive;
  private final RScriptReactive scripts;
  private final LinkPool pool;
  private final String sha;
  private final List<List<Object>> scriptKeys;

  RedissonLinks(BenchmarkRedis redis, LinkPool pool) {
    Config config = new Config();
    config.setCodec(StringCodec.INSTANCE);
    if (redis.isCluster()) {
      config.useClusterServers().addNodeAddress(redis.uris().toArray(new String[0]));
    } else {
      config.useSingleServer().setAddress(redis.uris().get(0));
    }
    this.client = Redisson.create(config);
    this.reactive = client.reactive();
    this.scripts = reactive.getScript(StringCodec.INSTANCE);
    this.pool = pool;
    this.sha = pool.setIfAbsentSha();
    this.scriptKeys =
        java.util.stream.IntStream.range(0, pool.size())
            .mapToObj(i -> List.<Object>of((Object[]) pool.scriptKeys(i)))
            .toList();
  }

  @Override
  public Publisher<?> setLinkIfAbsent(int i) {
    return scripts.evalSha(
        RScript.Mode.READ_WRITE,
        sha,
        RScript.ReturnType.VALUE,
        scriptKeys.get(i),
        LinkPool.podArg(LinkPool.candidatePod(i)),
        LinkPool.TTL_ARG,
        LinkPool.SERVICE);
  }

  @Override
  public Publisher<?> getLink(int i) {
    return reactive.getBucket(pool.linkKey(i), StringCodec.INSTANCE).get();
  }

  @Override
  public Publisher<?> batchGetLinks(int b) {
    return reactive.getBuckets(StringCodec.INSTANCE).get(pool.batchKeys(b));
  }

  @Override
  public void close() {
    client.shutdown();
  }

  @Override
  public String toString() {
    return "Redisson reactive (default Config: its connection pool, its event loops)";
  }
}
