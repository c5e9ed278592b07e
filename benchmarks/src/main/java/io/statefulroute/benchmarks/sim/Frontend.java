package io.statefulroute.benchmarks.sim;

import reactor.core.publisher.Mono;

/** Where the simulated users send their requests: the gateways, in process or over HTTP. */
interface Frontend extends AutoCloseable {

  /**
   * Sends one request of {@code uid} through gateway {@code gateway}.
   *
   * @return the outcome; never an error signal (failures are outcomes)
   */
  Mono<Outcome> send(int gateway, String uid);

  /** A pod process (re)started: an HTTP front end starts serving it. */
  default void podStarted(SimPod pod) {}

  /** A pod process crashed: an HTTP front end stops serving it (connections are refused). */
  default void podCrashed(SimPod pod) {}

  @Override
  void close();
}
