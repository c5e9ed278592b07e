package io.statefulroute.core.server;

import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.OptionsText;
import io.statefulroute.core.spi.TimerScheduler;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

/**
 * Immutable options of a {@link ServerDriver}: which pod it is and how it publishes. Built by
 * {@link #builder(String, String, int)}; setters validate at once and {@link Builder#build()}
 * checks the cross-field rules, naming the violated rule.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>namespace, service, pod</td><td>required</td><td>who this pod is</td></tr>
 *   <tr><td>incarnation</td><td>random</td><td>changes on every process start (clients see a
 *       restart); 1 to 64 characters, no {@code |} or control characters: the readers' limit,
 *       checked by the setter</td></tr>
 *   <tr><td>publishPeriod</td><td>1 s</td><td>state publication timer</td></tr>
 *   <tr><td>stateExpiry</td><td>5 s</td><td>must match the clients'; at least 2 x
 *       publishPeriod</td></tr>
 *   <tr><td>pruneAfter</td><td>1 min</td><td>records of pods silent this long are deleted; at
 *       least stateExpiry</td></tr>
 *   <tr><td>leaseTtl</td><td>5 min</td><td>the clients' lease TTL (bounds removeDelay)</td></tr>
 *   <tr><td>removeDelay</td><td>0</td><td>delayed removal of {@code removeLinkedPod}: the
 *       link keeps answering this long; shorter than leaseTtl</td></tr>
 *   <tr><td>loadSupplier</td><td>none</td><td>sampled at each publication (else
 *       {@code setLoad}); when it throws or returns a negative load, the last good load is
 *       published (0 before the first), see {@link ServerDriver}</td></tr>
 *   <tr><td>queueWeight, queueLengthSupplier</td><td>0, none</td><td>published load =
 *       round(f*queue + (1-f)*load), clamped at 0</td></tr>
 *   <tr><td>drainTimeout, drainedWhen</td><td>0, none</td><td>{@code stop()} waits, in
 *       DENY_NEW_CALL, until drainedWhen is true or drainTimeout passes</td></tr>
 *   <tr><td>shutdownTimeout</td><td>2 s</td><td>bound of each publication {@code stop()}
 *       awaits</td></tr>
 *   <tr><td>publishRetries, publishBackoff</td><td>3, 100 ms (max 1 s)</td><td>retries of a
 *       failed publication before the loop waits for the next trigger</td></tr>
 *   <tr><td>releaseBatchSize, releaseBatchTimeout, releaseConcurrency</td><td>128, 50 ms, 4</td>
 *       <td>batch release: uids per pipelined batch, max wait to fill one, batches in
 *       flight</td></tr>
 *   <tr><td>scheduler</td><td>statefulroute-timer</td><td>timers and retries (one shared daemon
 *       thread; virtual time in tests)</td></tr>
 *   <tr><td>listener</td><td>{@link ServerListener#NOOP}</td><td>publication events (the
 *       observability module's metrics)</td></tr>
 * </table>
 */
public final class ServerOptions {
  private final String namespace;
  private final String service;
  private final int pod;
  private final String incarnation;
  private final Duration publishPeriod;
  private final Duration stateExpiry;
  private final Duration pruneAfter;
  private final Duration leaseTtl;
  private final Duration removeDelay;
  private final @Nullable IntSupplier loadSupplier;
  private final double queueWeight;
  private final @Nullable IntSupplier queueLengthSupplier;
  private final Duration drainTimeout;
  private final @Nullable BooleanSupplier drainedWhen;
  private final Duration shutdownTimeout;
  private final int publishRetries;
  private final Duration publishBackoff;
  private final int releaseBatchSize;
  private final Duration releaseBatchTimeout;
  private final int releaseConcurrency;
  private final Scheduler scheduler;
  private final ServerListener listener;

  private ServerOptions(Builder b) {
    this.namespace = b.namespace;
    this.service = b.service;
    this.pod = b.pod;
    this.incarnation = b.incarnation;
    this.publishPeriod = b.publishPeriod;
    this.stateExpiry = b.stateExpiry;
    this.pruneAfter = b.pruneAfter;
    this.leaseTtl = b.leaseTtl;
    this.removeDelay = b.removeDelay;
    this.loadSupplier = b.loadSupplier;
    this.queueWeight = b.queueWeight;
    this.queueLengthSupplier = b.queueLengthSupplier;
    this.drainTimeout = b.drainTimeout;
    this.drainedWhen = b.drainedWhen;
    this.shutdownTimeout = b.shutdownTimeout;
    this.publishRetries = b.publishRetries;
    this.publishBackoff = b.publishBackoff;
    this.releaseBatchSize = b.releaseBatchSize;
    this.releaseBatchTimeout = b.releaseBatchTimeout;
    this.releaseConcurrency = b.releaseConcurrency;
    this.scheduler = b.scheduler;
    this.listener = b.listener;
  }

  /** A builder of the options of pod {@code pod} of {@code service} in {@code namespace}. */
  public static Builder builder(String namespace, String service, int pod) {
    return new Builder(namespace, service, pod);
  }

  /**
   * A builder holding these options, to change some of them. It copies through the builder's own
   * setters, so every option is validated again and a bad value set on it is refused at once.
   */
  public Builder toBuilder() {
    Builder b =
        builder(namespace, service, pod)
            .incarnation(incarnation)
            .publishPeriod(publishPeriod)
            .stateExpiry(stateExpiry)
            .pruneAfter(pruneAfter)
            .leaseTtl(leaseTtl)
            .removeDelay(removeDelay)
            .drainTimeout(drainTimeout)
            .shutdownTimeout(shutdownTimeout)
            .publishRetry(publishRetries, publishBackoff)
            .releaseBatching(releaseBatchSize, releaseBatchTimeout, releaseConcurrency)
            .scheduler(scheduler)
            .listener(listener);
    // the optional ones: their setters refuse null, which means "not set"
    if (loadSupplier != null) {
      b.loadSupplier(loadSupplier);
    }
    if (queueLengthSupplier != null) {
      b.queueWeighted(queueWeight, queueLengthSupplier);
    }
    if (drainedWhen != null) {
      b.drainedWhen(drainedWhen);
    }
    return b;
  }

  public String namespace() {
    return namespace;
  }

  public String service() {
    return service;
  }

  public int pod() {
    return pod;
  }

  public String incarnation() {
    return incarnation;
  }

  public Duration publishPeriod() {
    return publishPeriod;
  }

  public Duration stateExpiry() {
    return stateExpiry;
  }

  public Duration pruneAfter() {
    return pruneAfter;
  }

  public Duration leaseTtl() {
    return leaseTtl;
  }

  public Duration removeDelay() {
    return removeDelay;
  }

  public Optional<IntSupplier> loadSupplier() {
    return Optional.ofNullable(loadSupplier);
  }

  public double queueWeight() {
    return queueWeight;
  }

  public Optional<IntSupplier> queueLengthSupplier() {
    return Optional.ofNullable(queueLengthSupplier);
  }

  public Duration drainTimeout() {
    return drainTimeout;
  }

  public Optional<BooleanSupplier> drainedWhen() {
    return Optional.ofNullable(drainedWhen);
  }

  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  public int publishRetries() {
    return publishRetries;
  }

  public Duration publishBackoff() {
    return publishBackoff;
  }

  public int releaseBatchSize() {
    return releaseBatchSize;
  }

  public Duration releaseBatchTimeout() {
    return releaseBatchTimeout;
  }

  public int releaseConcurrency() {
    return releaseConcurrency;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  /** The listener of publication attempts ({@link ServerListener#NOOP} by default). */
  public ServerListener listener() {
    return listener;
  }

  /**
   * Every option as {@code name=value}, in declaration order; the suppliers, the scheduler and the
   * listener by their class only ({@link OptionsText#type}, {@code none} when not set).
   */
  @Override
  public String toString() {
    return "ServerOptions{namespace="
        + namespace
        + ", service="
        + service
        + ", pod="
        + pod
        + ", incarnation="
        + incarnation
        + ", publishPeriod="
        + publishPeriod
        + ", stateExpiry="
        + stateExpiry
        + ", pruneAfter="
        + pruneAfter
        + ", leaseTtl="
        + leaseTtl
        + ", removeDelay="
        + removeDelay
        + ", loadSupplier="
        + OptionsText.type(loadSupplier)
        + ", queueWeight="
        + queueWeight
        + ", queueLengthSupplier="
        + OptionsText.type(queueLengthSupplier)
        + ", drainTimeout="
        + drainTimeout
        + ", drainedWhen="
        + OptionsText.type(drainedWhen)
        + ", shutdownTimeout="
        + shutdownTimeout
        + ", publishRetries="
        + publishRetries
        + ", publishBackoff="
        + publishBackoff
        + ", releaseBatchSize="
        + releaseBatchSize
        + ", releaseBatchTimeout="
        + releaseBatchTimeout
        + ", releaseConcurrency="
        + releaseConcurrency
        + ", scheduler="
        + OptionsText.type(scheduler)
        + ", listener="
        + OptionsText.type(listener)
        + "}";
  }

  /** Builds {@link ServerOptions}; not thread-safe. */
  public static final class Builder {
    private final String namespace;
    private final String service;
    private final int pod;
    private String incarnation = UUID.randomUUID().toString().substring(0, 12);
    private Duration publishPeriod = Duration.ofSeconds(1);
    private Duration stateExpiry = Duration.ofSeconds(5);
    private Duration pruneAfter = Duration.ofMinutes(1);
    private Duration leaseTtl = Duration.ofMinutes(5);
    private Duration removeDelay = Duration.ZERO;
    private @Nullable IntSupplier loadSupplier;
    private double queueWeight;
    private @Nullable IntSupplier queueLengthSupplier;
    private Duration drainTimeout = Duration.ZERO;
    private @Nullable BooleanSupplier drainedWhen;
    private Duration shutdownTimeout = Duration.ofSeconds(2);
    private int publishRetries = 3;
    private Duration publishBackoff = Duration.ofMillis(100);
    private int releaseBatchSize = 128;
    private Duration releaseBatchTimeout = Duration.ofMillis(50);
    private int releaseConcurrency = 4;
    private Scheduler scheduler = TimerScheduler.get();
    private ServerListener listener = ServerListener.NOOP;

    private Builder(String namespace, String service, int pod) {
      this.namespace = Args.namespace(namespace);
      this.service = Args.service(service);
      this.pod = Args.pod(pod);
    }

    public Builder incarnation(String incarnation) {
      this.incarnation = Args.incarnation(incarnation);
      return this;
    }

    public Builder publishPeriod(Duration d) {
      this.publishPeriod = Args.positive("publishPeriod", d);
      return this;
    }

    public Builder stateExpiry(Duration d) {
      this.stateExpiry = Args.positive("stateExpiry", d);
      return this;
    }

    public Builder pruneAfter(Duration d) {
      this.pruneAfter = Args.positive("pruneAfter", d);
      return this;
    }

    public Builder leaseTtl(Duration d) {
      this.leaseTtl = Args.positive("leaseTtl", d);
      return this;
    }

    /** Zero (remove at once) or a positive delay. */
    public Builder removeDelay(Duration d) {
      this.removeDelay = Args.delay("removeDelay", d);
      return this;
    }

    public Builder loadSupplier(IntSupplier supplier) {
      this.loadSupplier = Args.notNull("loadSupplier", supplier);
      return this;
    }

    /**
     * Weights the published load with a queue length: {@code round(f*queue + (1-f)*load)}.
     *
     * @param weight f in [0, 1]
     * @param queueLength sampled at each publication
     */
    public Builder queueWeighted(double weight, IntSupplier queueLength) {
      Args.inRange("queueWeight", weight, 0, 1);
      this.queueLengthSupplier = Args.notNull("queueLength", queueLength);
      this.queueWeight = weight;
      return this;
    }

    /** Zero (no wait) or positive; {@code stop()} waits at most this long in DENY_NEW_CALL. */
    public Builder drainTimeout(Duration d) {
      this.drainTimeout = Args.delay("drainTimeout", d);
      return this;
    }

    /** Ends the drain wait early when it returns true (polled every 100 ms). */
    public Builder drainedWhen(BooleanSupplier drained) {
      this.drainedWhen = Args.notNull("drainedWhen", drained);
      return this;
    }

    public Builder shutdownTimeout(Duration d) {
      this.shutdownTimeout = Args.positive("shutdownTimeout", d);
      return this;
    }

    /** Retries (0-10) of a failed publication, with exponential backoff from {@code first}. */
    public Builder publishRetry(int retries, Duration first) {
      Args.inRange("publishRetries", retries, 0, 10);
      this.publishBackoff = Args.positive("publishBackoff", first);
      this.publishRetries = retries;
      return this;
    }

    /**
     * Batch release ({@code releaseLinks(Flux)}): uids per pipelined batch (1 to 10,000), the
     * longest wait to fill one (positive), batches in flight (1 to 256).
     */
    public Builder releaseBatching(int batchSize, Duration batchTimeout, int concurrency) {
      Args.inRange("releaseBatchSize", batchSize, 1, 10_000);
      Args.inRange("releaseConcurrency", concurrency, 1, 256);
      this.releaseBatchTimeout = Args.positive("releaseBatchTimeout", batchTimeout);
      this.releaseBatchSize = batchSize;
      this.releaseConcurrency = concurrency;
      return this;
    }

    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Args.notNull("scheduler", scheduler);
      return this;
    }

    /** Receives publication events (metrics); default no-op. */
    public Builder listener(ServerListener listener) {
      this.listener = Args.notNull("listener", listener);
      return this;
    }

    public ServerOptions build() {
      if (stateExpiry.compareTo(publishPeriod.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException(
            "rule 'stateExpiry >= 2 x publishPeriod' violated: "
                + "stateExpiry "
                + stateExpiry
                + ", publishPeriod "
                + publishPeriod);
      }
      if (pruneAfter.compareTo(stateExpiry) < 0) {
        throw new IllegalArgumentException(
            "rule 'pruneAfter >= stateExpiry' violated: "
                + "pruneAfter "
                + pruneAfter
                + ", stateExpiry "
                + stateExpiry);
      }
      if (removeDelay.compareTo(leaseTtl) >= 0) {
        throw new IllegalArgumentException(
            "rule 'removeDelay < leaseTtl' violated: "
                + "removeDelay "
                + removeDelay
                + ", leaseTtl "
                + leaseTtl);
      }
      if (stateExpiry.compareTo(leaseTtl) >= 0) {
        throw new IllegalArgumentException(
            "rule 'stateExpiry < leaseTtl' violated: "
                + "stateExpiry "
                + stateExpiry
                + ", leaseTtl "
                + leaseTtl);
      }
      return new ServerOptions(this);
    }
  }
}
