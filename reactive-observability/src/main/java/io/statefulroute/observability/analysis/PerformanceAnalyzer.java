package io.statefulroute.observability.analysis;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.statefulroute.core.spi.Args;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Evaluates {@link AnalysisRule}s over a meter registry and reports findings with suggestions (see
 * docs/architecture.md, "Observability"). The built-in rules ({@link Rules#defaults()}) read the
 * {@code statefulroute.*} meters; custom rules can read anything in the registry.
 *
 * <pre>{@code
 * PerformanceAnalyzer analyzer = PerformanceAnalyzer.builder(registry)
 *     .rules(List.of(Rules.lowCacheHitRatio(0.9, 1000),
 *         Rules.slowExecutorCalls(Duration.ofMillis(5))))
 *     .rule(myRule)
 *     .build();
 * System.out.println(analyzer.analyze().toText());
 * }</pre>
 *
 * <p>Counts are judged over a window, by default the last {@value #DEFAULT_WINDOW_MINUTES} minutes:
 * each analysis keeps what it read, and a later one takes differences from the newest reading at
 * least one window old ({@link MeterReadings}). Until the analyzer is one window old, and for an
 * analyzer called once, that is since the meters started. {@link Builder#cumulative()} judges the
 * meters' whole life instead.
 *
 * <p>Thread-safe (analyses run one at a time). A rule that throws is reported in {@link
 * AnalysisReport#failures()} and does not hide the other rules' findings.
 */
public final class PerformanceAnalyzer {
  static final long DEFAULT_WINDOW_MINUTES = 5;

  /** Readings kept per window at most (one per sixteenth of it): the window's resolution. */
  static final int READINGS_PER_WINDOW = 16;

  private final MeterRegistry registry;
  private final List<AnalysisRule> rules;
  private final Clock clock;

  /** Null when cumulative. */
  private final @Nullable Duration window;

  private final AtomicReference<AnalysisReport> latest = new AtomicReference<>();

  /** Earlier analyses' readings, oldest first (empty when cumulative). */
  private final Deque<Snapshot> history = new ArrayDeque<>();

  private PerformanceAnalyzer(Builder b) {
    this.registry = b.registry;
    this.rules = List.copyOf(b.rules);
    this.clock = b.clock;
    this.window = b.window;
  }

  /** What one analysis read, and when. */
  private record Snapshot(Instant at, Map<Meter.Id, MeterReadings.Reading> readings) {}

  /** A builder reading {@code registry}, with the default rules. */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(Args.notNull("registry", registry));
  }

  public List<AnalysisRule> rules() {
    return rules;
  }

  /** The window counts are judged over; empty when cumulative (the meters' whole life). */
  public Optional<Duration> window() {
    return Optional.ofNullable(window);
  }

  /** Reads the registry now and evaluates every rule over the window. */
  public synchronized AnalysisReport analyze() {
    Instant now = clock.instant();
    Snapshot base = baseline(now);
    MeterReadings readings =
        base == null
            ? MeterReadings.cumulative(registry)
            : new MeterReadings(registry, base.readings(), base.at());
    List<Finding> findings = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (AnalysisRule rule : rules) {
      ids.add(rule.id());
      try {
        findings.addAll(rule.evaluate(readings));
      } catch (RuntimeException e) {
        failures.add(rule.id() + ": " + e);
      }
    }
    findings.sort(
        Comparator.comparing(Finding::severity)
            .reversed()
            .thenComparing(Finding::rule)
            .thenComparing(Finding::subject));
    keep(now, readings);
    AnalysisReport report =
        new AnalysisReport(now, readings.since().orElse(null), ids, findings, failures);
    latest.set(report);
    return report;
  }

  /** The newest reading at least one window old, or null (cumulative, or none old enough). */
  private @Nullable Snapshot baseline(Instant now) {
    if (window == null) {
      return null;
    }
    Instant limit = now.minus(window);
    Snapshot base = null;
    for (Snapshot s : history) {
      if (s.at().isAfter(limit)) {
        break;
      }
      base = s;
    }
    return base;
  }

  /**
   * Keeps this analysis's readings (at most one per sixteenth of the window) and drops those no
   * later analysis can start from: all but the newest one that is a window old.
   */
  private void keep(Instant now, MeterReadings readings) {
    if (window == null) {
      return;
    }
    Snapshot newest = history.peekLast();
    if (newest == null || !newest.at().plus(window.dividedBy(READINGS_PER_WINDOW)).isAfter(now)) {
      history.addLast(new Snapshot(now, Map.copyOf(readings.read())));
    }
    Instant limit = now.minus(window);
    while (history.size() > 1) {
      Iterator<Snapshot> it = history.iterator();
      it.next();
      if (it.next().at().isAfter(limit)) {
        break;
      }
      history.removeFirst();
    }
  }

  /** Readings kept (for tests). */
  synchronized int readingsKept() {
    return history.size();
  }

  /** The last report {@link #analyze()} produced, or a new one when there is none yet. */
  public AnalysisReport latest() {
    AnalysisReport r = latest.get();
    return r != null ? r : analyze();
  }

  /**
   * A report every {@code period} on {@code scheduler} (first after one period). Cold: each
   * subscriber gets its own timer. Ticks a slow subscriber cannot take are dropped.
   *
   * @return reports until cancelled; never errors (a failing rule is in the report)
   */
  public Flux<AnalysisReport> reports(Duration period, Scheduler scheduler) {
    Args.positive("period", period);
    Args.notNull("scheduler", scheduler);
    return Flux.interval(period, period, scheduler).onBackpressureDrop().map(tick -> analyze());
  }

  /** {@link #reports(Duration, Scheduler)} on Reactor's parallel scheduler. */
  public Flux<AnalysisReport> reports(Duration period) {
    return reports(period, Schedulers.parallel());
  }

  /** Builds a {@link PerformanceAnalyzer}; not thread-safe. */
  public static final class Builder {
    private final MeterRegistry registry;
    private final List<AnalysisRule> rules = new ArrayList<>(Rules.defaults());
    private Clock clock = Clock.systemUTC();
    private @Nullable Duration window = Duration.ofMinutes(DEFAULT_WINDOW_MINUTES);

    private Builder(MeterRegistry registry) {
      this.registry = registry;
    }

    /** Replaces the rules (the defaults included) with {@code rules}. */
    public Builder rules(Collection<? extends AnalysisRule> rules) {
      Args.notNull("rules", rules);
      List<AnalysisRule> copy = new ArrayList<>();
      for (AnalysisRule r : rules) {
        copy.add(Args.notNull("rule", r));
      }
      this.rules.clear();
      this.rules.addAll(copy);
      return this;
    }

    /** Adds a rule (its id must be new). */
    public Builder rule(AnalysisRule rule) {
      Args.notNull("rule", rule);
      this.rules.add(rule);
      return this;
    }

    /**
     * Judges counts over the last {@code window} (default {@value #DEFAULT_WINDOW_MINUTES}
     * minutes): the difference since the newest analysis at least that old.
     */
    public Builder window(Duration window) {
      this.window = Args.positive("window", window);
      return this;
    }

    /** Judges counts over the meters' whole life (no window). */
    public Builder cumulative() {
      this.window = null;
      return this;
    }

    /** The clock of the reports' timestamps and of the window (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Args.notNull("clock", clock);
      return this;
    }

    /**
     * The analyzer of the rules added.
     *
     * @throws IllegalArgumentException when two rules share an id
     */
    public PerformanceAnalyzer build() {
      Set<String> ids = new HashSet<>();
      for (AnalysisRule r : rules) {
        if (!ids.add(r.id())) {
          throw new IllegalArgumentException("two rules share the id '" + r.id() + "'");
        }
      }
      return new PerformanceAnalyzer(this);
    }
  }
}
