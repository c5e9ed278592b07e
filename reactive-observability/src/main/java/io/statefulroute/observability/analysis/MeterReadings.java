package io.statefulroute.observability.analysis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.statefulroute.core.spi.Args;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link AnalysisRule} reads: the registry, and the counts of its counters and timers
 * within the analyzer's window. Meters count from their start; an analyzer with a window ({@link
 * PerformanceAnalyzer.Builder#window}) keeps earlier readings and hands rules the difference since
 * the reading its window starts at, so that a day of good traffic does not hide an outage of the
 * last minutes, and a warm-up spike does not stay a finding for the process's life. Gauges are read
 * from the registry as they are (they are instantaneous).
 *
 * <p>A count lower than at the window's start (a meter re-created, or a registry that counts per
 * step) is taken as restarted: the current count is used. One instance per analysis; not
 * thread-safe.
 */
public final class MeterReadings {
  private final MeterRegistry registry;
  private final Map<Meter.Id, Reading> baseline;
  private final @Nullable Instant since;
  private final Map<Meter.Id, Reading> read = new HashMap<>();

  MeterReadings(MeterRegistry registry, Map<Meter.Id, Reading> baseline, @Nullable Instant since) {
    this.registry = registry;
    this.baseline = baseline;
    this.since = since;
  }

  /** Readings over the meters' whole life (no window): what a rule sees from a registry alone. */
  public static MeterReadings cumulative(MeterRegistry registry) {
    return new MeterReadings(Args.notNull("registry", registry), Map.of(), null);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** When the window starts; empty when the counts go back to the meters' start. */
  public Optional<Instant> since() {
    return Optional.ofNullable(since);
  }

  /**
   * The events counted by a counter, function counter, timer or function timer within the window; 0
   * for other meters.
   */
  public double count(Meter meter) {
    double now = total(meter);
    remember(meter, now, null);
    Reading base = baseline.get(meter.getId());
    return base == null || now < base.count() ? now : now - base.count();
  }

  /**
   * The cumulative histogram buckets of a timer within the window (each bucket: the events of the
   * window at or below its bound); empty when the timer publishes no buckets.
   */
  public CountAtBucket[] histogram(Timer timer) {
    CountAtBucket[] now = timer.takeSnapshot().histogramCounts();
    remember(timer, (double) timer.count(), now);
    Reading base = baseline.get(timer.getId());
    if (base == null
        || base.buckets() == null
        || base.buckets().length != now.length
        || timer.count() < base.count()) {
      return now;
    }
    CountAtBucket[] out = new CountAtBucket[now.length];
    for (int i = 0; i < now.length; i++) {
      double before = now[i].bucket() == base.buckets()[i].bucket() ? base.buckets()[i].count() : 0;
      out[i] = new CountAtBucket(now[i].bucket(), Math.max(0, now[i].count() - before));
    }
    return out;
  }

  /** What this analysis read, for the next analyses to take differences from. */
  Map<Meter.Id, Reading> read() {
    return read;
  }

  private void remember(Meter meter, double count, CountAtBucket @Nullable [] buckets) {
    read.merge(
        meter.getId(),
        new Reading(count, buckets),
        (old, fresh) -> new Reading(count, buckets != null ? buckets : old.buckets()));
  }

  private static double total(Meter m) {
    if (m instanceof Counter c) {
      return c.count();
    }
    if (m instanceof Timer t) {
      return t.count();
    }
    if (m instanceof FunctionCounter f) {
      return f.count();
    }
    if (m instanceof FunctionTimer f) {
      return f.count();
    }
    return 0;
  }

  /**
   * A meter's count and (for timers, read with {@link #histogram}) cumulative bucket counts at one
   * analysis; no buckets (null) for a meter read only with {@link #count}.
   */
  @SuppressWarnings("ArrayRecordComponent") // a baseline: never compared or hashed
  record Reading(double count, CountAtBucket @Nullable [] buckets) {}
}
