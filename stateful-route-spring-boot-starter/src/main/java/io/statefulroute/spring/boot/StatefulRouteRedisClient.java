package io.statefulroute.spring.boot;

import io.lettuce.core.AbstractRedisClient;
import org.springframework.beans.factory.DisposableBean;

/**
 * The Lettuce client the starter's executor runs on: the application's (from its Spring Data Redis
 * {@code LettuceConnectionFactory}, which keeps it) or the starter's own, from {@code
 * statefulroute.redis.uri}, which it shuts down with the context.
 *
 * @param client the client (a {@code RedisClient} or a {@code RedisClusterClient})
 * @param owned whether the starter created it (and shuts it down)
 * @param source where it came from: {@code spring.data.redis} or {@code statefulroute.redis.uri}
 */
public record StatefulRouteRedisClient(AbstractRedisClient client, boolean owned, String source)
    implements DisposableBean {
  static final String SPRING_DATA = "spring.data.redis";
  static final String OWN_URI = "statefulroute.redis.uri";

  @Override
  public void destroy() {
    if (owned) {
      client.shutdown();
    }
  }
}
