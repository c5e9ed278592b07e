package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.placement.PodSelectors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulation's command-line options, validated when parsed: a bad option throws {@link
 * IllegalArgumentException} naming the option and the rule, before anything starts.
 *
 * @param pods server pods at the start (one more joins in the scale-out phase)
 * @param gateways gateway processes (one client driver each)
 * @param users distinct users; their activity follows a Zipf law of exponent {@code zipf}
 * @param duration length of the scripted timeline (virtual time on the embedded executor)
 * @param rate requests per second, all gateways together
 * @param zipf Zipf exponent ({@code 0} = uniform activity)
 * @param selector the placement strategy's name ({@link PodSelectors#byName})
 * @param seed seeds every random choice (users, gateways, strategies)
 * @param compareSelectors run the scenario once per strategy and print a table
 * @param redis {@code redis://host:port}, or {@code local} for a throwaway redis-server
 * @param http pods and gateways are HTTP servers on loopback ports
 * @param html where to write the HTML report
 * @param adminPort serve the admin endpoint on this loopback port while the run lasts ({@code 0}:
 *     any free port)
 * @param speed on the embedded executor, simulated seconds per wall-clock second; empty: as fast as
 *     the machine goes (always empty in the real-time modes, which follow the wall clock)
 */
record SimulationOptions(
    int pods,
    int gateways,
    int users,
    Duration duration,
    int rate,
    double zipf,
    String selector,
    long seed,
    boolean compareSelectors,
    Optional<String> redis,
    boolean http,
    Optional<Path> html,
    OptionalInt adminPort,
    OptionalDouble speed) {

  static final String LOCAL_REDIS = "local";
  static final Duration MIN_DURATION = Duration.ofSeconds(36);
  static final int HTTP_RATE = 200;
  static final double MIN_SPEED = 0.1;
  static final double MAX_SPEED = 1000;

  static final String USAGE =
      """
      usage: mvn -q -B -pl benchmarks exec:java -Dexec.args="[options]"

      A simulated deployment: pods publish load, gateways route users with computeLinkedPod,
      through seven phases: steady, scale-out (a pod joins), drain (a pod goes DENY_NEW_CALL),
      crash (a pod stops publishing), recovery (it restarts, the drained pod is READY again),
      cordon (an operator cordons a pod), store fault (the store stalls 3 s, then restarts
      empty). Every gateway runs a rebalancer (one acts at a time).

        --pods K              server pods at the start, 3..64 (default 4; one more joins)
        --gateways M          gateways, 1..32 (default 2)
        --users U             users, 1..1000000 (default 10000)
        --duration D          timeline length, e.g. 60s, 2m (default 60s, at least 36s)
        --rate R              requests per second, 1..100000 (default 1000; 200 with --http)
        --zipf S              Zipf exponent of user activity, 0..5 (default 1.0; 0 = uniform)
        --selector NAME       placement strategy (default power_of_two): round_robin, random,
                              least_load, power_of_two, weighted_headroom, least_in_flight,
                              least_response_time, rendezvous, bounded_load_hash
        --seed N              random seed (default 42); same seed, same report (embedded mode)
        --compare-selectors   run the same scenario once per strategy and print a table
        --redis URL|local     use Redis (redis://host:port, or 'local' to start a throwaway
                              redis-server, which the store-fault phase stalls and restarts;
                              a Redis at a URL gets no faults); runs in real time
        --http                pods and gateways are Reactor Netty HTTP servers on loopback;
                              runs in real time
        --html FILE           also write a self-contained HTML report with charts
        --admin-port N        serve the admin endpoint on 127.0.0.1:N while it runs (0 = any
                              free port; the URL is printed): /routes/{ns}/game, /links/{ns}/{uid},
                              /metrics, /health, /analysis; on the embedded executor it implies
                              --speed 1 so that you can watch the phases
        --speed X|max         embedded executor only: simulated seconds per wall-clock second,
                              0.1..1000 (default max: as fast as it goes; 1 with --admin-port);
                              the report is the same at every speed
        --help                this text

      Without --redis or --http it runs on the embedded in-memory executor in virtual time:
      a 60 s timeline takes a few seconds and is deterministic for a given --seed.
      The report ends with the performance analyzer's findings over the run's meters.""";

  static SimulationOptions defaults() {
    return new SimulationOptions(
        4,
        2,
        10_000,
        Duration.ofSeconds(60),
        1000,
        1.0,
        "power_of_two",
        42,
        false,
        Optional.empty(),
        false,
        Optional.empty(),
        OptionalInt.empty(),
        OptionalDouble.empty());
  }

  /** Whether the run is in virtual time on the embedded executor (and so deterministic). */
  boolean virtualTime() {
    return redis.isEmpty() && !http;
  }

  /** A copy with another selector, every other option kept. */
  SimulationOptions withSelector(String name) {
    return new SimulationOptions(
        pods,
        gateways,
        users,
        duration,
        rate,
        zipf,
        name,
        seed,
        compareSelectors,
        redis,
        http,
        html,
        adminPort,
        speed);
  }

  /**
   * Parses {@code args}; {@code --help} is handled by the caller ({@link #wantsHelp}).
   *
   * @throws IllegalArgumentException for an unknown option, a missing or malformed value, a value
   *     out of range, or options that cannot be combined
   */
  static SimulationOptions parse(String... args) {
    SimulationOptions d = defaults();
    int pods = d.pods;
    int gateways = d.gateways;
    int users = d.users;
    Duration duration = d.duration;
    Integer rate = null;
    double zipf = d.zipf;
    String selector = d.selector;
    long seed = d.seed;
    boolean compare = false;
    Optional<String> redis = Optional.empty();
    boolean http = false;
    Optional<Path> html = Optional.empty();
    OptionalInt adminPort = OptionalInt.empty();
    OptionalDouble speed = OptionalDouble.empty();
    boolean maxSpeed = false;
    for (int i = 0; i < args.length; i++) {
      String opt = args[i];
      switch (opt) {
        case "--compare-selectors" -> {
          compare = true;
          continue;
        }
        case "--http" -> {
          http = true;
          continue;
        }
        case "--help", "-h" -> {
          continue;
        }
        default -> {}
      }
      if (!opt.startsWith("--")) {
        throw new IllegalArgumentException(
            "unexpected argument '" + opt + "': options start with -- (see --help)");
      }
      if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
        if (isValued(opt)) {
          throw new IllegalArgumentException(opt + " needs a value (see --help)");
        }
        throw new IllegalArgumentException("unknown option " + opt + " (see --help)");
      }
      String value = args[++i];
      switch (opt) {
        case "--pods" -> pods = intIn(opt, value, 3, 64);
        case "--gateways" -> gateways = intIn(opt, value, 1, 32);
        case "--users" -> users = intIn(opt, value, 1, 1_000_000);
        case "--duration" -> duration = duration(value);
        case "--rate" -> rate = intIn(opt, value, 1, 100_000);
        case "--zipf" -> zipf = doubleIn(opt, value, 0, 5);
        case "--selector" -> selector = selector(value);
        case "--seed" -> seed = longValue(opt, value);
        case "--redis" -> redis = Optional.of(redis(value));
        case "--html" -> html = Optional.of(Path.of(value));
        case "--admin-port" -> adminPort = OptionalInt.of(intIn(opt, value, 0, 65_535));
        case "--speed" -> {
          maxSpeed = value.equals("max");
          speed = maxSpeed ? OptionalDouble.empty() : OptionalDouble.of(speed(value));
        }
        default -> throw new IllegalArgumentException("unknown option " + opt + " (see --help)");
      }
    }
    if (compare && (redis.isPresent() || http)) {
      throw new IllegalArgumentException(
          "--compare-selectors runs on the embedded executor in "
              + "virtual time; it cannot be combined with --redis or --http");
    }
    if (compare && html.isPresent()) {
      throw new IllegalArgumentException(
          "--html writes the report of one run; it cannot be "
              + "combined with --compare-selectors (run one --selector with --html instead)");
    }
    if (rate == null) { // three HTTP hops per request: a rate two shared cores keep up with
      rate = http ? HTTP_RATE : d.rate;
    }
    boolean realTime = redis.isPresent() || http;
    if (compare && (adminPort.isPresent() || speed.isPresent())) {
      throw new IllegalArgumentException(
          "--compare-selectors runs one scenario per strategy as fast as it "
              + "can; it cannot be combined with --admin-port or --speed");
    }
    if (realTime && (speed.isPresent() || maxSpeed)) {
      throw new IllegalArgumentException(
          "--speed paces the embedded executor's virtual time; "
              + "with --redis or --http the run follows the wall clock");
    }
    if (adminPort.isPresent() && !realTime && speed.isEmpty() && !maxSpeed) {
      speed = OptionalDouble.of(1); // a user watching the endpoint needs the phases to last
    }
    return new SimulationOptions(
        pods, gateways, users, duration, rate, zipf, selector, seed, compare, redis, http, html,
        adminPort, speed);
  }

  static boolean wantsHelp(String... args) {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isValued(String opt) {
    return switch (opt) {
      case "--pods",
          "--gateways",
          "--users",
          "--duration",
          "--rate",
          "--zipf",
          "--selector",
          "--seed",
          "--redis",
          "--html",
          "--admin-port",
          "--speed" ->
          true;
      default -> false;
    };
  }

  private static int intIn(String opt, String value, int min, int max) {
    long v = longValue(opt, value);
    if (v < min || v > max) {
      throw new IllegalArgumentException(opt + " must be in " + min + ".." + max + ": " + value);
    }
    return (int) v;
  }

  private static long longValue(String opt, String value) {
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + " needs a whole number: '" + value + "'");
    }
  }

  private static double doubleIn(String opt, String value, double min, double max) {
    double v;
    try {
      v = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + " needs a number: '" + value + "'");
    }
    if (!(v >= min && v <= max)) {
      throw new IllegalArgumentException(opt + " must be in " + min + ".." + max + ": " + value);
    }
    return v;
  }

  private static double speed(String value) {
    if (!value.matches("\\d{1,4}(\\.\\d{1,3})?")) {
      throw new IllegalArgumentException(
          "--speed needs a number such as 1, 0.5 or 10, or 'max': '" + value + "'");
    }
    return doubleIn("--speed", value, MIN_SPEED, MAX_SPEED);
  }

  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(ms|s|m)?");

  private static Duration duration(String value) {
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--duration needs a length such as 45s, 90s or 2m: '" + value + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d =
        switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        };
    if (d.compareTo(MIN_DURATION) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "--duration must be between 36s and 60m (each of the "
              + "seven phases needs a few state-expiry periods): "
              + value);
    }
    return d;
  }

  private static String selector(String name) {
    PodSelectors.byName(name, new SplittableRandom(0)); // throws, listing the known names
    return name;
  }

  private static String redis(String value) {
    if (value.equals(LOCAL_REDIS) || value.matches("rediss?://[^\\s/]+(:\\d{1,5})?(/\\d+)?")) {
      return value;
    }
    throw new IllegalArgumentException(
        "--redis needs redis://host:port or 'local': '" + value + "'");
  }
}
