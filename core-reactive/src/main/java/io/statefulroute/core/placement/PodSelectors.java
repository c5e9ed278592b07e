package io.statefulroute.core.placement;

import io.statefulroute.core.PodState;
import io.statefulroute.core.spi.Args;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The built-in placement strategies. Each call returns a new selector with its own state (round
 * robin position, weights, in-flight counts, response times); give each client driver its own.
 * Strategies that take a {@link RandomGenerator} accept a seeded one for reproducible runs (the
 * simulation); by default they use a per-selector {@link SplittableRandom} seeded at random.
 */
public final class PodSelectors {
  private PodSelectors() {}

  /** Round robin from a random start per selector, so clients do not herd on one pod. */
  public static PodSelector roundRobin() {
    return roundRobin(newRandom());
  }

  public static PodSelector roundRobin(RandomGenerator random) {
    return new RoundRobinSelector(Args.notNull("random", random));
  }

  /** A uniformly random candidate. */
  public static PodSelector random() {
    return random(newRandom());
  }

  public static PodSelector random(RandomGenerator random) {
    return new RandomSelector(Args.notNull("random", random));
  }

  /** The least loaded candidate (random among equals). */
  public static PodSelector leastLoad() {
    return leastLoad(newRandom());
  }

  public static PodSelector leastLoad(RandomGenerator random) {
    return new LeastLoadSelector(Args.notNull("random", random));
  }

  /** The less loaded of two random candidates. */
  public static PodSelector powerOfTwoChoices() {
    return powerOfTwoChoices(newRandom());
  }

  public static PodSelector powerOfTwoChoices(RandomGenerator random) {
    return new PowerOfTwoChoicesSelector(Args.notNull("random", random));
  }

  /**
   * Smooth weighted round robin with weights from load headroom: {@code max(1, capacity - load)}.
   *
   * @param capacity the load at which a pod is considered full, {@code > 0}
   */
  public static PodSelector weightedByHeadroom(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be > 0: " + capacity);
    }
    return new SmoothWeightedRoundRobinSelector(p -> Math.max(1, capacity - p.load()));
  }

  /**
   * Smooth weighted round robin with configured weights per pod index; pods not listed get {@code
   * defaultWeight}. A weight of 0 never picks the pod unless all candidates weigh 0.
   */
  public static PodSelector weighted(Map<Integer, Integer> weights, int defaultWeight) {
    Args.notNull("weights", weights);
    Map<Integer, Integer> copy = Map.copyOf(weights);
    copy.forEach(
        (pod, w) -> {
          Args.pod(pod);
          Args.nonNegative("weight", w);
        });
    Args.nonNegative("defaultWeight", defaultWeight);
    return new SmoothWeightedRoundRobinSelector(
        (PodState p) -> copy.getOrDefault(p.pod(), defaultWeight));
  }

  /** The candidate with the fewest calls in flight from this client (needs feedback). */
  public static PodSelector leastInFlight() {
    return new LeastInFlightSelector(newRandom());
  }

  /**
   * The candidate with the lowest EWMA response time seen by this client (needs feedback).
   *
   * @param alpha the weight of a new sample, in (0, 1]; 0.3 is a common choice
   */
  public static PodSelector leastResponseTime(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1]: " + alpha);
    }
    return new LeastResponseTimeSelector(alpha, newRandom());
  }

  /** Rendezvous hashing of the uid: stable placement, about 1/(N+1) of uids move on a pod add. */
  public static PodSelector rendezvous() {
    return new RendezvousSelector();
  }

  /** The default balance factor of {@link #boundedLoadHash()}: no pod above 1.25 x the mean. */
  public static final double DEFAULT_BALANCE_FACTOR = 1.25;

  /**
   * Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam 2016), balance factor
   * {@value #DEFAULT_BALANCE_FACTOR}: each uid on the first pod of its rendezvous order whose load
   * stays within 1.25 x the mean.
   */
  public static PodSelector boundedLoadHash() {
    return boundedLoadHash(DEFAULT_BALANCE_FACTOR);
  }

  /**
   * Consistent hashing with bounded loads: each uid on the first pod of its rendezvous order whose
   * load, with the uid, stays within {@code balanceFactor} times the mean load of the candidates.
   * Stable like {@link #rendezvous()} (a joining pod takes about 1/(N+1) of new uids, plus those
   * the bound pushes on), and no pod exceeds the bound.
   *
   * @param balanceFactor {@code c}, between 1 and 100: 1 is as even as possible and least stable,
   *     larger values move fewer uids and balance less (HAProxy and Envoy use 1.25 and up)
   */
  public static PodSelector boundedLoadHash(double balanceFactor) {
    return new BoundedLoadHashSelector(Args.inRange("balanceFactor", balanceFactor, 1.0, 100.0));
  }

  /** The names {@link #byName} knows, in the order of docs/configuration.md's table. */
  public static final List<String> NAMES =
      List.of(
          "round_robin",
          "random",
          "least_load",
          "power_of_two",
          "weighted_headroom",
          "least_in_flight",
          "least_response_time",
          "rendezvous",
          "bounded_load_hash");

  /**
   * A selector by name, as used in configuration files and the simulation's options: {@code
   * round_robin}, {@code random}, {@code least_load}, {@code power_of_two}, {@code
   * weighted_headroom} (capacity 1000), {@code least_in_flight}, {@code least_response_time} (alpha
   * 0.3), {@code rendezvous}, {@code bounded_load_hash} (balance factor 1.25).
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static PodSelector byName(String name, RandomGenerator random) {
    Args.notNull("name", name);
    Args.notNull("random", random);
    return switch (name) {
      case "round_robin" -> roundRobin(random);
      case "random" -> random(random);
      case "least_load" -> leastLoad(random);
      case "power_of_two" -> powerOfTwoChoices(random);
      case "weighted_headroom" -> weightedByHeadroom(1000);
      case "least_in_flight" -> new LeastInFlightSelector(random);
      case "least_response_time" -> new LeastResponseTimeSelector(0.3, random);
      case "rendezvous" -> rendezvous();
      case "bounded_load_hash" -> boundedLoadHash();
      default ->
          throw new IllegalArgumentException(
              "unknown selector '"
                  + name
                  + "'; known: round_robin, "
                  + "random, least_load, power_of_two, weighted_headroom, least_in_flight, "
                  + "least_response_time, rendezvous, bounded_load_hash");
    };
  }

  private static RandomGenerator newRandom() {
    return new SplittableRandom();
  }
}
