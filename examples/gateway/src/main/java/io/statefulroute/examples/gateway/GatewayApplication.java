package io.statefulroute.examples.gateway;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A WebFlux gateway: relays each request to the game server pod holding its uid. The starter
 * registers the {@code ClientDriver} (gateway.properties: only the namespace and Redis).
 */
@SpringBootApplication
@EnableConfigurationProperties(PodAddresses.class)
public class GatewayApplication {
  /** The configuration file name (not application.properties: a test may hold several apps). */
  public static final String CONFIG_NAME = "spring.config.name=gateway";

  public static void main(String[] args) {
    new SpringApplicationBuilder(GatewayApplication.class).properties(CONFIG_NAME).run(args);
  }
}
