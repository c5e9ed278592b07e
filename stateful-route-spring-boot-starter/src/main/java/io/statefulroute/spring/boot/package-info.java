/**
 * The Spring Boot auto-configuration of stateful-route (see docs/spring-boot.md): the executor on
 * the application's Lettuce client, the client and server drivers, their meters, health, the {@code
 * statefulroute} actuator endpoint and the server's lifecycle.
 */
@NullMarked
package io.statefulroute.spring.boot;

import org.jspecify.annotations.NullMarked;
