package io.statefulroute.examples.gateway;

import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.spring.boot.StatefulRouteProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * {@code GET /play/{uid}}: the route is composed into the request's {@code Mono}: compute the pod
 * of the uid (a cache hit, no I/O, for a known uid), relay to it. A relay that fails is reported
 * ({@code reportFailure}: the driver moves the uid when the pod also missed a heartbeat) and tried
 * once more on the pod it answers.
 */
@RestController
class RelayController {
  private final ClientDriver routes;
  private final PodAddresses pods;
  private final String namespace;
  private final WebClient http;

  RelayController(ClientDriver routes, PodAddresses pods, StatefulRouteProperties properties) {
    this.routes = routes;
    this.pods = pods;
    this.namespace = properties.namespace();
    this.http = WebClient.create();
  }

  @GetMapping("/play/{uid}")
  Mono<String> play(@PathVariable String uid) {
    String service = pods.getService();
    return routes
        .computeLinkedPod(namespace, uid, service)
        .flatMap(
            pod ->
                relay(pod, uid)
                    .onErrorResume(
                        e ->
                            routes
                                .reportFailure(namespace, uid, service, pod)
                                .flatMap(next -> relay(next, uid))));
  }

  private Mono<String> relay(int pod, String uid) {
    return http.get().uri(pods.url(pod) + "/play/{uid}", uid).retrieve().bodyToMono(String.class);
  }
}
