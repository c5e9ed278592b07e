package io.statefulroute.observability.analysis;

import io.micrometer.core.instrument.MeterRegistry;
import io.statefulroute.core.internal.Args;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Evaluates {@link AnalysisRule}s over a meter registry (the seed's PerformanceAnalyzer) and
 * reports findings with suggestions. The built-in rules ({@link Rules#defaults()}) read the
 * {@code statefulroute.*} meters; custom rules can read anything in the registry.
 *
 * <pre>{@code
 * PerformanceAnalyzer analyzer = PerformanceAnalyzer.builder(registry)
 *     .rules(List.of(Rules.lowCacheHitRatio(0.9, 1000), Rules.slowScripts(Duration.ofMillis(5))))
 *     .rule(myRule)
 *     .build();
 * System.out.println(analyzer.analyze().toText());
 * }</pre>
 *
 * Thread-safe. A rule that throws is reported in {@link AnalysisReport#failures()} and does not
 * hide the other rules' findings.
 */
public final class PerformanceAnalyzer {
  private final MeterRegistry registry;
  private final List<AnalysisRule> rules;
  private final Clock clock;
  private final AtomicReference<AnalysisReport> latest = new AtomicReference<>();

  private PerformanceAnalyzer(Builder b) {
    this.registry = b.registry;
    this.rules = List.copyOf(b.rules);
    this.clock = b.clock;
  }

  /** A builder reading {@code registry}, with the default rules. */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(Args.notNull("registry", registry));
  }

  public List<AnalysisRule> rules() {
    return rules;
  }

  /** Reads the registry now and evaluates every rule. */
  public AnalysisReport analyze() {
    List<Finding> findings = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (AnalysisRule rule : rules) {
      ids.add(rule.id());
      try {
        findings.addAll(rule.evaluate(registry));
      } catch (RuntimeException e) {
        failures.add(rule.id() + ": " + e);
      }
    }
    findings.sort(Comparator.comparing(Finding::severity).reversed()
        .thenComparing(Finding::rule).thenComparing(Finding::subject));
    AnalysisReport report = new AnalysisReport(clock.instant(), ids, findings, failures);
    latest.set(report);
    return report;
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
    return Flux.interval(period, period, scheduler)
        .onBackpressureDrop()
        .map(tick -> analyze());
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

    /** The clock of the reports' timestamps (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Args.notNull("clock", clock);
      return this;
    }

    /** @throws IllegalArgumentException when two rules share an id */
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
