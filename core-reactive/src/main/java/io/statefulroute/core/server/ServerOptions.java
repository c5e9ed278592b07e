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
 * <p>Every setter says its default and its range; docs/configuration.md has them in one table.
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

  /** A builder holding these options; it copies through the setters, so each is checked again. */
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
    // the optional ones as they are: their setters refuse null, which means "not set"
    b.loadSupplier = loadSupplier;
    b.queueWeight = queueWeight;
    b.queueLengthSupplier = queueLengthSupplier;
    b.drainedWhen = drainedWhen;
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

  /** Every option as {@code name=value}; collaborators by their class ({@link OptionsText}). */
  @Override
  public String toString() {
    return OptionsText.of("ServerOptions")
        .add("namespace", namespace)
        .add("service", service)
        .add("pod", pod)
        .add("incarnation", incarnation)
        .add("publishPeriod", publishPeriod)
        .add("stateExpiry", stateExpiry)
        .add("pruneAfter", pruneAfter)
        .add("leaseTtl", leaseTtl)
        .add("removeDelay", removeDelay)
        .type("loadSupplier", loadSupplier)
        .add("queueWeight", queueWeight)
        .type("queueLengthSupplier", queueLengthSupplier)
        .add("drainTimeout", drainTimeout)
        .type("drainedWhen", drainedWhen)
        .add("shutdownTimeout", shutdownTimeout)
        .add("publishRetries", publishRetries)
        .add("publishBackoff", publishBackoff)
        .add("releaseBatchSize", releaseBatchSize)
        .add("releaseBatchTimeout", releaseBatchTimeout)
        .add("releaseConcurrency", releaseConcurrency)
        .type("scheduler", scheduler)
        .type("listener", listener)
        .toString();
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

    /**
     * Changes on every process start, so that clients see a restart (default: random); 1 to 64
     * characters, no {@code |} or control characters (the readers' limit).
     */
    public Builder incarnation(String incarnation) {
      this.incarnation = Args.incarnation(incarnation);
      return this;
    }

    /** The state publication timer (default 1 s), positive. */
    public Builder publishPeriod(Duration d) {
      this.publishPeriod = Args.positive("publishPeriod", d);
      return this;
    }

    /**
     * How long a publication keeps this pod fresh for clients (default 5 s): the clients' value; at
     * least 2 x publishPeriod and shorter than leaseTtl (checked by {@link #build}).
     */
    public Builder stateExpiry(Duration d) {
      this.stateExpiry = Args.positive("stateExpiry", d);
      return this;
    }

    /** Records of pods silent this long are deleted (default 1 min); at least stateExpiry. */
    public Builder pruneAfter(Duration d) {
      this.pruneAfter = Args.positive("pruneAfter", d);
      return this;
    }

    /** The clients' lease TTL (default 5 min): it bounds removeDelay and stateExpiry. */
    public Builder leaseTtl(Duration d) {
      this.leaseTtl = Args.positive("leaseTtl", d);
      return this;
    }

    /**
     * The delayed removal of {@code removeLinkedPod}: the link keeps answering this long (default
     * 0: removed at once); shorter than leaseTtl.
     */
    public Builder removeDelay(Duration d) {
      this.removeDelay = Args.delay("removeDelay", d);
      return this;
    }

    /**
     * Sampled at each publication (default none: {@code setLoad}); when it throws or returns a
     * negative load, the last good load is published (0 before the first), see {@link
     * ServerDriver}.
     */
    public Builder loadSupplier(IntSupplier supplier) {
      this.loadSupplier = Args.notNull("loadSupplier", supplier);
      return this;
    }

    /**
     * Weights the published load with a queue length: {@code round(f*queue + (1-f)*load)}.
     *
     * <p>Default: 0, none (the load as it is).
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

    /**
     * {@code stop()} waits at most this long in DENY_NEW_CALL (default 0: no wait), or until {@link
     * #drainedWhen} is true.
     */
    public Builder drainTimeout(Duration d) {
      this.drainTimeout = Args.delay("drainTimeout", d);
      return this;
    }

    /** Ends the drain wait early when it returns true (polled every 100 ms). */
    public Builder drainedWhen(BooleanSupplier drained) {
      this.drainedWhen = Args.notNull("drainedWhen", drained);
      return this;
    }

    /** The bound of each publication {@code stop()} awaits (default 2 s), positive. */
    public Builder shutdownTimeout(Duration d) {
      this.shutdownTimeout = Args.positive("shutdownTimeout", d);
      return this;
    }

    /**
     * Retries (0-10) of a failed publication, with exponential backoff from {@code first} up to 1
     * s, before the loop waits for the next trigger (default 3, 100 ms).
     */
    public Builder publishRetry(int retries, Duration first) {
      Args.inRange("publishRetries", retries, 0, 10);
      this.publishBackoff = Args.positive("publishBackoff", first);
      this.publishRetries = retries;
      return this;
    }

    /**
     * Batch release ({@code releaseLinks(Flux)}): uids per pipelined batch (1 to 10,000), the
     * longest wait to fill one (positive), batches in flight (1 to 256); default 128, 50 ms, 4.
     */
    public Builder releaseBatching(int batchSize, Duration batchTimeout, int concurrency) {
      Args.inRange("releaseBatchSize", batchSize, 1, 10_000);
      Args.inRange("releaseConcurrency", concurrency, 1, 256);
      this.releaseBatchTimeout = Args.positive("releaseBatchTimeout", batchTimeout);
      this.releaseBatchSize = batchSize;
      this.releaseConcurrency = concurrency;
      return this;
    }

    /**
     * Timers and retries (default {@code statefulroute-timer}, one shared daemon thread; a
     * virtual-time scheduler in tests).
     */
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
      Args.rule(
          stateExpiry.compareTo(publishPeriod.multipliedBy(2)) >= 0,
          "stateExpiry >= 2 x publishPeriod",
          "stateExpiry " + stateExpiry + ", publishPeriod " + publishPeriod);
      Args.rule(
          pruneAfter.compareTo(stateExpiry) >= 0,
          "pruneAfter >= stateExpiry",
          "pruneAfter " + pruneAfter + ", stateExpiry " + stateExpiry);
      Args.rule(
          removeDelay.compareTo(leaseTtl) < 0,
          "removeDelay < leaseTtl",
          "removeDelay " + removeDelay + ", leaseTtl " + leaseTtl);
      Args.rule(
          stateExpiry.compareTo(leaseTtl) < 0,
          "stateExpiry < leaseTtl",
          "stateExpiry " + stateExpiry + ", leaseTtl " + leaseTtl);
      return new ServerOptions(this);
    }
  }
}
