package io.statefulroute.examples.game;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A reactive game server: one pod of the {@code game} service. The starter registers its {@code
 * ServerDriver} (statefulroute.server.*, game-server.properties); {@link Sessions} is its load and
 * releases idle sessions when the rebalancer asks it to shed, and all of them while it drains.
 */
@SpringBootApplication
public class GameServerApplication {
  /** The configuration file name (not application.properties: the gateway shares the test path). */
  public static final String CONFIG_NAME = "spring.config.name=game-server";

  public static void main(String[] args) {
    new SpringApplicationBuilder(GameServerApplication.class).properties(CONFIG_NAME).run(args);
  }
}
