package io.statefulroute.spring.boot;

import io.statefulroute.redis.RedisExecutorOptions;

/**
 * Customizes the Redis executor's options (key prefix, timeouts, batching) before the executor is
 * built: what properties cannot say. Every bean of this type is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface RedisExecutorOptionsCustomizer {
  void customize(RedisExecutorOptions.Builder builder);
}
