package io.statefulroute.examples.secured;

import static org.springframework.security.config.Customizer.withDefaults;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * A gateway whose {@code statefulroute} actuator endpoint (routes, links, analysis and the
 * operator's cordon, pin, move and release) is open to operators only, as the application's own
 * Spring Security decides: health stays open to the probes, reading and changing routes takes the
 * role {@code OPS}. The starter adds no security of its own; the users come from {@code
 * spring.security.*} or from the application's {@code ReactiveUserDetailsService}.
 */
@SpringBootApplication
public class SecuredEndpointApplication {

  public static void main(String[] args) {
    SpringApplication.run(SecuredEndpointApplication.class, args);
  }

  @Bean
  SecurityWebFilterChain security(ServerHttpSecurity http) {
    return http.authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    .pathMatchers("/actuator/statefulroute", "/actuator/statefulroute/**")
                    .hasRole("OPS")
                    .anyExchange()
                    .authenticated())
        .httpBasic(withDefaults())
        // the endpoint's clients are scripts and consoles with credentials, not browsers
        .csrf(ServerHttpSecurity.CsrfSpec::disable)
        .build();
  }
}
