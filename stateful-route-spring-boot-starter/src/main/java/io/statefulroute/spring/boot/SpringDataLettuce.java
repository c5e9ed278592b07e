package io.statefulroute.spring.boot;

import io.lettuce.core.AbstractRedisClient;
import java.util.function.Supplier;

/**
 * The native client of the application's {@code LettuceConnectionFactory}; a type of the starter's
 * own, so that the main auto-configuration never names a Spring Data Redis class.
 */
@FunctionalInterface
interface SpringDataLettuce extends Supplier<AbstractRedisClient> {}
