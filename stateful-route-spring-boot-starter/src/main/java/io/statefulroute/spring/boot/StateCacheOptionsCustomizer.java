package io.statefulroute.spring.boot;

import io.statefulroute.core.state.StateCacheOptions;

/**
 * Customizes the shared state cache's options (refresh period, bands) before the ServiceStateCache
 * is built: what properties cannot say. Every bean of this type is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface StateCacheOptionsCustomizer {
  void customize(StateCacheOptions.Builder builder);
}
