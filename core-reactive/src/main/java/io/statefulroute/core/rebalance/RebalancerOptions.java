package io.statefulroute.core.rebalance;

import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.OptionsText;
import io.statefulroute.core.spi.TimerScheduler;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

/**
 * Immutable options of a {@link Rebalancer}. Setters validate at once.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>namespace, service</td><td>-</td><td>the service rebalanced</td></tr>
 *   <tr><td>owner</td><td>random</td><td>this rebalancer's identity in the lease (1 to 64
 *       characters, no {@code |})</td></tr>
 *   <tr><td>period</td><td>5 s</td><td>one cycle per period: renew the lease, read the loads,
 *       ask for sheds</td></tr>
 *   <tr><td>leaseTtl</td><td>3 x period</td><td>how long the lease outlives its holder; another
 *       client takes over at most this long after the holder stopped</td></tr>
 *   <tr><td>tolerance</td><td>0.1</td><td>rebalance only while a pod is below {@code mean x (1 -
 *       tolerance)}</td></tr>
 *   <tr><td>maxMovesPerSecond</td><td>100</td><td>absolute throttle: at most this many links
 *       asked for per second of period, over the whole service</td></tr>
 *   <tr><td>maxShedRatio</td><td>0.1</td><td>relative throttle: a pod is asked for at most this
 *       share of its load per cycle</td></tr>
 *   <tr><td>settleTime</td><td>10 s</td><td>links asked of a pod count against its load, and as
 *       on their way to the pods below the mean, until it has published this long after the
 *       request (a released user's next request lands elsewhere, and loads that count sessions
 *       take a while to show it)</td></tr>
 *   <tr><td>joinGrace</td><td>10 s</td><td>a pod that joined or restarted (a new incarnation)
 *       this recently is left to placement: neither asked nor counted short</td></tr>
 *   <tr><td>scheduler</td><td>statefulroute-timer</td><td>runs the cycles</td></tr>
 * </table>
 */
public final class RebalancerOptions {
  private final String namespace;
  private final String service;
  private final String owner;
  private final Duration period;
  private final Duration leaseTtl;
  private final double tolerance;
  private final int maxMovesPerSecond;
  private final double maxShedRatio;
  private final Duration settleTime;
  private final Duration joinGrace;
  private final Scheduler scheduler;

  private RebalancerOptions(Builder b) {
    this.namespace = b.namespace;
    this.service = b.service;
    this.owner = b.owner;
    this.period = b.period;
    this.leaseTtl = b.leaseTtl == null ? b.period.multipliedBy(3) : b.leaseTtl;
    this.tolerance = b.tolerance;
    this.maxMovesPerSecond = b.maxMovesPerSecond;
    this.maxShedRatio = b.maxShedRatio;
    this.settleTime = b.settleTime;
    this.joinGrace = b.joinGrace;
    this.scheduler = b.scheduler;
  }

  public static Builder builder(String namespace, String service) {
    return new Builder(namespace, service);
  }

  public String namespace() {
    return namespace;
  }

  public String service() {
    return service;
  }

  public String owner() {
    return owner;
  }

  public Duration period() {
    return period;
  }

  public Duration leaseTtl() {
    return leaseTtl;
  }

  public double tolerance() {
    return tolerance;
  }

  public int maxMovesPerSecond() {
    return maxMovesPerSecond;
  }

  /** The absolute throttle for one cycle: {@code maxMovesPerSecond x period}. */
  public long maxMovesPerCycle() {
    return (long) Math.floor(maxMovesPerSecond * (period.toMillis() / 1000.0));
  }

  public double maxShedRatio() {
    return maxShedRatio;
  }

  public Duration settleTime() {
    return settleTime;
  }

  public Duration joinGrace() {
    return joinGrace;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public String toString() {
    return OptionsText.of("RebalancerOptions")
        .add("namespace", namespace)
        .add("service", service)
        .add("owner", owner)
        .add("period", period)
        .add("leaseTtl", leaseTtl)
        .add("tolerance", tolerance)
        .add("maxMovesPerSecond", maxMovesPerSecond)
        .add("maxShedRatio", maxShedRatio)
        .add("settleTime", settleTime)
        .add("joinGrace", joinGrace)
        .type("scheduler", scheduler)
        .toString();
  }

  /** Builds {@link RebalancerOptions}; not thread-safe. */
  public static final class Builder {
    private final String namespace;
    private final String service;
    private String owner = "rb-" + UUID.randomUUID().toString().substring(0, 13);
    private Duration period = Duration.ofSeconds(5);
    private @Nullable Duration leaseTtl;
    private double tolerance = 0.1;
    private int maxMovesPerSecond = 100;
    private double maxShedRatio = 0.1;
    private Duration settleTime = Duration.ofSeconds(10);
    private Duration joinGrace = Duration.ofSeconds(10);
    private Scheduler scheduler = TimerScheduler.get();

    private Builder(String namespace, String service) {
      this.namespace = Args.namespace(namespace);
      this.service = Args.service(service);
    }

    public Builder owner(String owner) {
      this.owner = Args.incarnation(owner);
      return this;
    }

    public Builder period(Duration period) {
      this.period = Args.positive("period", period);
      return this;
    }

    /** Longer than the period (a holder renews once per period). */
    public Builder leaseTtl(Duration leaseTtl) {
      this.leaseTtl = Args.positive("leaseTtl", leaseTtl);
      return this;
    }

    /** In [0, 1). */
    public Builder tolerance(double tolerance) {
      Args.rule(tolerance >= 0 && tolerance < 1, "0 <= tolerance < 1", "tolerance=" + tolerance);
      this.tolerance = tolerance;
      return this;
    }

    /** {@code >= 0}; 0 asks for nothing (a dry run: the reports still show the plan's needs). */
    public Builder maxMovesPerSecond(int maxMovesPerSecond) {
      this.maxMovesPerSecond = Args.nonNegative("maxMovesPerSecond", maxMovesPerSecond);
      return this;
    }

    /** In (0, 1]. */
    public Builder maxShedRatio(double maxShedRatio) {
      Args.rule(
          maxShedRatio > 0 && maxShedRatio <= 1,
          "0 < maxShedRatio <= 1",
          "maxShedRatio=" + maxShedRatio);
      this.maxShedRatio = maxShedRatio;
      return this;
    }

    public Builder settleTime(Duration settleTime) {
      this.settleTime = Args.delay("settleTime", settleTime);
      return this;
    }

    public Builder joinGrace(Duration joinGrace) {
      this.joinGrace = Args.delay("joinGrace", joinGrace);
      return this;
    }

    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Args.notNull("scheduler", scheduler);
      return this;
    }

    public RebalancerOptions build() {
      Duration ttl = leaseTtl == null ? period.multipliedBy(3) : leaseTtl;
      Args.rule(
          ttl.compareTo(period) > 0, "period < leaseTtl", "leaseTtl=" + ttl + ", period=" + period);
      return new RebalancerOptions(this);
    }
  }
}
