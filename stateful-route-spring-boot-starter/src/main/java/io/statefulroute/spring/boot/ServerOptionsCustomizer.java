package io.statefulroute.spring.boot;

import io.statefulroute.core.server.ServerOptions;

/**
 * Customizes the server driver's options (load supplier, drain condition, queue weighting) before
 * the ServerDriver is built: what properties cannot say. Every bean of this type is applied, in
 * {@code @Order}.
 */
@FunctionalInterface
public interface ServerOptionsCustomizer {
  void customize(ServerOptions.Builder builder);
}
