package io.statefulroute.benchmarks;

import io.lettuce.core.RedisURI;
import java.util.Arrays;
import java.util.List;
import org.reactivestreams.Publisher;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ReactiveValueOperations;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A peer: Spring Data Redis reactive, as an application would use it. A {@link
 * LettuceConnectionFactory} with default settings (one shared native connection, auto-flush on) and
 * a {@link ReactiveStringRedisTemplate}: set-if-absent runs the very script the executor runs
 * through the template's script executor (EVALSHA, EVAL on NOSCRIPT), reads are {@code
 * opsForValue().get} and {@code multiGet} of keys computed beforehand. Replies are the template's
 * (strings, a list for MGET), not decoded further.
 */
final class SpringDataRedisLinks implements LinkClient {
  private final LettuceConnectionFactory factory;
  private final ReactiveStringRedisTemplate template;
  private final ReactiveValueOperations<String, String> values;
  private final RedisScript<String> setIfAbsent;
  private final LinkPool pool;
  private final List<List<String>> scriptKeys;
  private final List<List<String>> batchKeys;

  SpringDataRedisLinks(BenchmarkRedis redis, LinkPool pool) {
    this.factory =
        redis.isCluster()
            ? new LettuceConnectionFactory(
                new RedisClusterConfiguration(
                    redis.uris().stream().map(SpringDataRedisLinks::hostAndPort).toList()))
            : new LettuceConnectionFactory(standalone(redis.uris().get(0)));
    factory.afterPropertiesSet();
    factory.start();
    this.template = new ReactiveStringRedisTemplate(factory);
    this.values = template.opsForValue();
    this.setIfAbsent = RedisScript.of(ContractScript.body("link_set_if_absent.lua"), String.class);
    this.pool = pool;
    this.scriptKeys =
        java.util.stream.IntStream.range(0, pool.size())
            .mapToObj(i -> List.of(pool.scriptKeys(i)))
            .toList();
    this.batchKeys =
        java.util.stream.IntStream.range(0, pool.batches())
            .mapToObj(b -> Arrays.asList(pool.batchKeys(b)))
            .toList();
  }

  private static RedisStandaloneConfiguration standalone(String uri) {
    RedisURI parsed = RedisURI.create(uri);
    return new RedisStandaloneConfiguration(parsed.getHost(), parsed.getPort());
  }

  private static String hostAndPort(String uri) {
    RedisURI parsed = RedisURI.create(uri);
    return parsed.getHost() + ":" + parsed.getPort();
  }

  @Override
  public Publisher<?> setLinkIfAbsent(int i) {
    return template.execute(
        setIfAbsent,
        scriptKeys.get(i),
        List.of(LinkPool.podArg(LinkPool.candidatePod(i)), LinkPool.TTL_ARG, LinkPool.SERVICE));
  }

  @Override
  public Publisher<?> getLink(int i) {
    return values.get(pool.linkKey(i));
  }

  @Override
  public Publisher<?> batchGetLinks(int b) {
    return values.multiGet(batchKeys.get(b));
  }

  @Override
  public void close() {
    factory.destroy();
  }

  @Override
  public String toString() {
    return "Spring Data Redis ReactiveStringRedisTemplate on a default LettuceConnectionFactory";
  }
}
