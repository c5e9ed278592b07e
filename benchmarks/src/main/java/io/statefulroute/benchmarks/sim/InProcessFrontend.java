package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.client.ClientDriver;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Gateways and pods as objects in this process: a request is {@code computeLinkedPod} on the
 * gateway's client driver, then {@link SimPod#serve} on the pod it returned. The gateway reports
 * each call to its driver's feedback (the pod's simulated service time; failures feed passive
 * health), and a request that found its pod down to {@code reportFailure} (connection refused, in
 * real life), which moves the user at once when the pod also missed a heartbeat.
 */
final class InProcessFrontend implements Frontend {
  private final String namespace;
  private final String service;
  private final List<ClientDriver> gateways;
  private final List<SimPod> pods;

  InProcessFrontend(
      String namespace, String service, List<ClientDriver> gateways, List<SimPod> pods) {
    this.namespace = namespace;
    this.service = service;
    this.gateways = gateways;
    this.pods = pods;
  }

  @Override
  public Mono<Outcome> send(int gateway, String uid) {
    ClientDriver driver = gateways.get(gateway);
    return Mono.defer(
        () -> {
          long start = System.nanoTime();
          return driver
              .computeLinkedPod(namespace, uid, service)
              .flatMap(
                  pod -> {
                    long compute = System.nanoTime() - start;
                    SimPod target = pods.get(pod);
                    driver.feedback().callStarted(namespace, service, pod);
                    return target
                        .serve(uid)
                        .map(
                            served -> {
                              driver
                                  .feedback()
                                  .callFinished(
                                      namespace, service, pod, target.serviceTime(), true);
                              return new Outcome(
                                  served == SimPod.Served.OWNED
                                      ? Outcome.Kind.SERVED
                                      : Outcome.Kind.MISROUTED,
                                  pod,
                                  compute);
                            })
                        .onErrorResume(
                            e -> {
                              driver
                                  .feedback()
                                  .callFinished(
                                      namespace, service, pod, target.serviceTime(), false);
                              Mono<Outcome> failed = Mono.just(Outcome.failed(e, pod, compute));
                              if (!(e instanceof PodDownException)) {
                                return failed;
                              }
                              return driver
                                  .reportFailure(namespace, uid, service, pod)
                                  .onErrorResume(report -> Mono.empty())
                                  .then(failed);
                            });
                  })
              .onErrorResume(e -> Mono.just(Outcome.failed(e, System.nanoTime() - start)));
        });
  }

  @Override
  public void close() {
    // the gateways' drivers are closed by the simulation
  }
}
