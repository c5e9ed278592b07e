package io.statefulroute.examples.secured;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The starter's {@code statefulroute} endpoint is behind the application's security: without
 * credentials 401, a user without the role 403, and neither changes anything; an operator reads the
 * routes and cordons a pod (one with no state record, a typo, answers 400).
 */
class EndpointSecurityTest {
  private ConfigurableApplicationContext app;
  private WebTestClient client;

  @BeforeEach
  void start() {
    app =
        new SpringApplication(SecuredEndpointApplication.class, TestUsersAndStore.class)
            .run("--server.port=0");
    client =
        WebTestClient.bindToServer()
            .baseUrl("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"))
            .responseTimeout(Duration.ofSeconds(10))
            .build();
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void withoutCredentials_reportsAndMutationsAre401_andNothingChanges() {
    client
        .get()
        .uri("/actuator/statefulroute/routes/demo/game")
        .exchange()
        .expectStatus()
        .isUnauthorized();
    client
        .post()
        .uri("/actuator/statefulroute/cordon/demo/game/1")
        .exchange()
        .expectStatus()
        .isUnauthorized();
    client.get().uri("/actuator/health").exchange().expectStatus().isOk(); // the probes' path
    assertThat(cordoned()).isFalse();
  }

  @Test
  void aUserWithoutTheRole_is403_andNothingChanges() {
    client
        .get()
        .uri("/actuator/statefulroute/routes/demo/game")
        .headers(h -> h.setBasicAuth("viewer", "viewer-pw"))
        .exchange()
        .expectStatus()
        .isForbidden();
    client
        .post()
        .uri("/actuator/statefulroute/cordon/demo/game/1")
        .headers(h -> h.setBasicAuth("viewer", "viewer-pw"))
        .exchange()
        .expectStatus()
        .isForbidden();
    assertThat(cordoned()).isFalse();
  }

  @Test
  void wrongPassword_is401() {
    client
        .post()
        .uri("/actuator/statefulroute/cordon/demo/game/1")
        .headers(h -> h.setBasicAuth("ops", "guess"))
        .exchange()
        .expectStatus()
        .isUnauthorized();
    assertThat(cordoned()).isFalse();
  }

  @Test
  void anOperator_readsTheRoutes_andCordonsAPod() {
    app.getBean(StatefulExecutor.class)
        .publishState(
            "demo", "game", new PodStatus(1, 0, RoutingState.READY, "i1"), Duration.ofMinutes(1))
        .block(Duration.ofSeconds(5));
    client
        .get()
        .uri("/actuator/statefulroute/routes/demo/game")
        .headers(h -> h.setBasicAuth("ops", "ops-pw"))
        .exchange()
        .expectStatus()
        .isOk();
    client
        .post()
        .uri("/actuator/statefulroute/cordon/demo/game/1")
        .headers(h -> h.setBasicAuth("ops", "ops-pw"))
        .contentType(MediaType.APPLICATION_JSON) // an actuator write operation takes JSON
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isOk();
    assertThat(cordoned()).isTrue();
  }

  /** A pod with no state record (a typo) is refused, and nothing is stored. */
  @Test
  void anOperator_cordoningAPodWithNoStateRecord_isABadRequest() {
    client
        .post()
        .uri("/actuator/statefulroute/cordon/demo/game/1")
        .headers(h -> h.setBasicAuth("ops", "ops-pw"))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isBadRequest();
    assertThat(cordoned()).isFalse();
  }

  private boolean cordoned() {
    return Boolean.TRUE.equals(
        app.getBean(StatefulExecutor.class)
            .readState("demo", "game")
            .map(state -> state.cordoned().contains(1))
            .defaultIfEmpty(false)
            .block(Duration.ofSeconds(5)));
  }

  @Configuration(proxyBeanMethods = false)
  static class TestUsersAndStore {
    @Bean
    StatefulExecutor memory() {
      return InMemoryStatefulExecutor.create(); // the starter's Redis executor backs off
    }

    @Bean
    MapReactiveUserDetailsService users() {
      return new MapReactiveUserDetailsService(
          User.withUsername("ops").password("{noop}ops-pw").roles("OPS").build(),
          User.withUsername("viewer").password("{noop}viewer-pw").roles("VIEW").build());
    }
  }
}
