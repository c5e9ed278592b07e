/**
 * Real Redis for integration tests: {@link io.statefulroute.test.redis.RedisServers} (shared
 * throwaway servers, standalone and cluster, honouring {@code REDIS_URL}, with a Docker fallback;
 * private servers to stop, kill and restart), its JUnit 5 extension {@link
 * io.statefulroute.test.redis.RedisServersExtension}, and {@link
 * io.statefulroute.test.redis.TcpRelay} to cut or slow a connection.
 */
@NullMarked
package io.statefulroute.test.redis;

import org.jspecify.annotations.NullMarked;
