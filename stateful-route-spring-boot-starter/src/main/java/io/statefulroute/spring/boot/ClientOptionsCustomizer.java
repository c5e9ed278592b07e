package io.statefulroute.spring.boot;

import io.statefulroute.core.client.ClientOptions;

/**
 * Customizes the client driver's options (selector, cache, failover) before the ClientDriver is
 * built: what properties cannot say. Every bean of this type is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface ClientOptionsCustomizer {
  void customize(ClientOptions.Builder builder);
}
