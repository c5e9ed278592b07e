package io.statefulroute.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.placement.PodSelectors;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.observability.admin.AdminOptions;
import io.statefulroute.observability.admin.AdminServer;
import io.statefulroute.observability.analysis.PerformanceAnalyzer;
import io.statefulroute.redis.RedisExecutorOptions;
import io.statefulroute.redis.RedisStatefulExecutor;
import io.statefulroute.test.redis.RedisServers;
import io.statefulroute.test.redis.RedisServersExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The snippets of docs/observability.md, compiled and run against a real Redis. Keep in sync. */
@ExtendWith(RedisServersExtension.class)
class ReadmeObservabilityIT {

  @Test
  void readmeObservability_runs() throws Exception {
    RedisClient client = RedisClient.create(RedisServers.standalone().uri());
    RedisExecutorOptions redisOptions = RedisExecutorOptions.builder().build();
    ObservationRegistry observationRegistry = ObservationRegistry.create();
    String ns = RedisServers.uniqueNamespace();

    // --- docs/observability.md (begin) ---
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    StatefulRouteObservability obs =
        StatefulRouteObservability.builder()
            .meterRegistry(prometheus)
            .observationRegistry(observationRegistry)
            .percentileHistograms(false)
            .uidInTraces(false)
            .build();

    StatefulExecutor executor = obs.executor(RedisStatefulExecutor.create(client, redisOptions));
    ClientDriver gateway =
        obs.clientDriver(
            ClientDriver.create(
                executor,
                ClientOptions.builder()
                    .listener(obs.clientListener())
                    .selector(obs.selector(PodSelectors::powerOfTwoChoices))
                    .stateCache(
                        StateCacheOptions.builder().listener(obs.stateCacheListener()).build())
                    .build()));
    ServerDriver pod =
        ServerDriver.create(
            executor, ServerOptions.builder(ns, "game", 3).listener(obs.serverListener()).build());

    PerformanceAnalyzer analyzer = PerformanceAnalyzer.builder(prometheus).build();
    AdminServer admin =
        AdminServer.start(
                AdminOptions.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .prometheus(prometheus)
                    .executor(executor)
                    .stateCache(gateway.states())
                    .observability(obs)
                    .analyzer(analyzer)
                    .build())
            .block();
    // --- docs/observability.md (end) ---

    try {
      pod.start().block();
      assertThat(gateway.computeLinkedPod(ns, "alice", "game").block()).isEqualTo(3);
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + admin.port();
      HttpResponse<String> routes =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/routes/" + ns + "/game")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(routes.statusCode()).isEqualTo(200);
      assertThat(routes.body()).contains("\"pod\":3").contains("\"routingState\":\"READY\"");
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body())
          .contains(
              "statefulroute_client_compute_total{exception=\"none\",namespace=\""
                  + ns
                  + "\",outcome=\"linked\",service=\"game\"} 1.0")
          .contains("statefulroute_server_publish_seconds_count");
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
    } finally {
      admin.close();
      pod.stop().block();
      gateway.close();
      executor.close();
      client.shutdown();
    }
  }
}
