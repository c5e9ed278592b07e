package io.statefulroute.observability.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.RouteOperator;
import io.statefulroute.core.rebalance.Rebalancer;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.OptionsText;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.observability.StatefulRouteObservability;
import io.statefulroute.observability.analysis.PerformanceAnalyzer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Immutable options of the {@link AdminServer}: where it listens and what it serves. Every source
 * is optional; an endpoint whose source is missing answers 404 saying so.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>serves</th></tr>
 *   <tr><td>host</td><td>127.0.0.1 (loopback)</td><td>bind address</td></tr>
 *   <tr><td>port</td><td>9464</td><td>0 picks a free port ({@link AdminServer#port()})</td></tr>
 *   <tr><td>prometheus</td><td>none</td><td>{@code /metrics}</td></tr>
 *   <tr><td>executor</td><td>none</td><td>{@code /links}, the store check of {@code /health},
 *       {@code /routes} of services the state cache does not watch</td></tr>
 *   <tr><td>stateCache</td><td>none</td><td>{@code /routes} (its views, its expiry and
 *       band)</td></tr>
 *   <tr><td>observability</td><td>none</td><td>the state freshness checks of
 *       {@code /health}</td></tr>
 *   <tr><td>analyzer</td><td>none</td><td>{@code /analysis}</td></tr>
 *   <tr><td>maxStateAge</td><td>5 s</td><td>a service whose last good state read is older
 *       is reported stale by {@code /health}</td></tr>
 *   <tr><td>probeTimeout</td><td>1 s</td><td>bound of the store check</td></tr>
 *   <tr><td>rebalancer</td><td>none</td><td>rebalancers whose last cycle {@code GET
 *       /rebalance/{ns}/{svc}} reports (repeatable)</td></tr>
 *   <tr><td>routeOperator</td><td>none</td><td>the operator endpoints (cordon, pin, move,
 *       release, the persistent-link listing)</td></tr>
 *   <tr><td>operatorToken</td><td>none: operator endpoints off (403)</td><td>the bearer token
 *       the operator endpoints require; kept as its SHA-256 digest only, never printed</td></tr>
 * </table>
 */
public final class AdminOptions {
  private final String host;
  private final int port;
  private final @Nullable PrometheusMeterRegistry prometheus;
  private final @Nullable StatefulExecutor executor;
  private final @Nullable ServiceStateCache stateCache;
  private final @Nullable StatefulRouteObservability observability;
  private final @Nullable PerformanceAnalyzer analyzer;
  private final Duration maxStateAge;
  private final Duration probeTimeout;
  private final @Nullable RouteOperator routeOperator;
  private final List<Rebalancer> rebalancers;

  /** The SHA-256 digest of the operator token (the token itself is not kept); null when off. */
  private final byte @Nullable [] operatorToken;

  private AdminOptions(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.prometheus = b.prometheus;
    this.executor = b.executor;
    this.stateCache = b.stateCache;
    this.observability = b.observability;
    this.analyzer = b.analyzer;
    this.maxStateAge = b.maxStateAge;
    this.probeTimeout = b.probeTimeout;
    this.routeOperator = b.routeOperator;
    this.rebalancers = List.copyOf(b.rebalancers);
    this.operatorToken = b.operatorToken;
  }

  /** A builder of the defaults: loopback, port 9464, no source. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding these options, to change some of them. It copies through the builder's own
   * setters, so every option is validated again and a bad value set on it is refused at once.
   */
  public Builder toBuilder() {
    Builder b =
        new Builder().host(host).port(port).maxStateAge(maxStateAge).probeTimeout(probeTimeout);
    // the optional sources: their setters refuse null, which means "not set"
    if (prometheus != null) {
      b.prometheus(prometheus);
    }
    if (executor != null) {
      b.executor(executor);
    }
    if (stateCache != null) {
      b.stateCache(stateCache);
    }
    if (observability != null) {
      b.observability(observability);
    }
    if (analyzer != null) {
      b.analyzer(analyzer);
    }
    if (routeOperator != null) {
      b.routeOperator(routeOperator);
    }
    rebalancers.forEach(b::rebalancer);
    b.operatorToken = operatorToken; // the digest: the token itself is not kept
    return b;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public Optional<PrometheusMeterRegistry> prometheus() {
    return Optional.ofNullable(prometheus);
  }

  public Optional<StatefulExecutor> executor() {
    return Optional.ofNullable(executor);
  }

  public Optional<ServiceStateCache> stateCache() {
    return Optional.ofNullable(stateCache);
  }

  public Optional<StatefulRouteObservability> observability() {
    return Optional.ofNullable(observability);
  }

  public Optional<PerformanceAnalyzer> analyzer() {
    return Optional.ofNullable(analyzer);
  }

  public Duration maxStateAge() {
    return maxStateAge;
  }

  public Duration probeTimeout() {
    return probeTimeout;
  }

  /** The rebalancers {@code GET /rebalance} reports on. */
  public List<Rebalancer> rebalancers() {
    return rebalancers;
  }

  public Optional<RouteOperator> routeOperator() {
    return Optional.ofNullable(routeOperator);
  }

  /** Whether an operator token is set, which turns the operator endpoints on. */
  public boolean operatorEndpointsEnabled() {
    return operatorToken != null;
  }

  /**
   * Whether {@code presented} is the operator token, compared in constant time ({@link
   * MessageDigest#isEqual} of the SHA-256 digests, so neither the content nor the length leaks
   * through timing); always false when no token is set.
   */
  boolean acceptsOperatorToken(@Nullable String presented) {
    byte[] expected = operatorToken;
    return expected != null
        && presented != null
        && MessageDigest.isEqual(expected, digest(presented));
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Every option as {@code name=value}, in declaration order; the sources by their class only
   * ({@link OptionsText#type}, {@code none} when not set): an executor's or a registry's own {@code
   * toString()} is never called.
   */
  @Override
  public String toString() {
    return OptionsText.of("AdminOptions")
        .add("host", host)
        .add("port", port)
        .type("prometheus", prometheus)
        .type("executor", executor)
        .type("stateCache", stateCache)
        .type("observability", observability)
        .type("analyzer", analyzer)
        .add("maxStateAge", maxStateAge)
        .add("probeTimeout", probeTimeout)
        .type("routeOperator", routeOperator)
        .add("rebalancers", rebalancers.size())
        .add("operatorToken", (operatorToken == null ? "none" : "set"))
        .toString();
  }

  /** Builds {@link AdminOptions}; not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 9464;
    private @Nullable PrometheusMeterRegistry prometheus;
    private @Nullable StatefulExecutor executor;
    private @Nullable ServiceStateCache stateCache;
    private @Nullable StatefulRouteObservability observability;
    private @Nullable PerformanceAnalyzer analyzer;
    private Duration maxStateAge = Duration.ofSeconds(5);
    private Duration probeTimeout = Duration.ofSeconds(1);
    private @Nullable RouteOperator routeOperator;
    private final List<Rebalancer> rebalancers = new ArrayList<>();
    private byte @Nullable [] operatorToken;

    private Builder() {}

    /** The bind address (an IP literal or host name); default loopback {@code 127.0.0.1}. */
    public Builder host(String host) {
      Args.notNull("host", host);
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      this.host = host;
      return this;
    }

    /** The port, 0-65535; 0 picks a free one. */
    public Builder port(int port) {
      this.port = Args.inRange("port", port, 0, 65_535);
      return this;
    }

    public Builder prometheus(PrometheusMeterRegistry prometheus) {
      this.prometheus = Args.notNull("prometheus", prometheus);
      return this;
    }

    public Builder executor(StatefulExecutor executor) {
      this.executor = Args.notNull("executor", executor);
      return this;
    }

    public Builder stateCache(ServiceStateCache stateCache) {
      this.stateCache = Args.notNull("stateCache", stateCache);
      return this;
    }

    public Builder observability(StatefulRouteObservability observability) {
      this.observability = Args.notNull("observability", observability);
      return this;
    }

    public Builder analyzer(PerformanceAnalyzer analyzer) {
      this.analyzer = Args.notNull("analyzer", analyzer);
      return this;
    }

    public Builder maxStateAge(Duration maxStateAge) {
      this.maxStateAge = Args.positive("maxStateAge", maxStateAge);
      return this;
    }

    public Builder probeTimeout(Duration probeTimeout) {
      this.probeTimeout = Args.positive("probeTimeout", probeTimeout);
      return this;
    }

    /** What the operator endpoints act through (cordon, pin, move, release). */
    public Builder routeOperator(RouteOperator routeOperator) {
      this.routeOperator = Args.notNull("routeOperator", routeOperator);
      return this;
    }

    /** A rebalancer whose last cycle {@code GET /rebalance/{ns}/{svc}} reports (repeatable). */
    public Builder rebalancer(Rebalancer rebalancer) {
      this.rebalancers.add(Args.notNull("rebalancer", rebalancer));
      return this;
    }

    /**
     * The bearer token of the operator endpoints ({@code Authorization: Bearer <token>}): 16 to 512
     * visible ASCII characters, no space. Unset, the operator endpoints answer 403. Only its
     * SHA-256 digest is kept; {@link AdminOptions#toString} says {@code set}, never the token.
     */
    public Builder operatorToken(String operatorToken) {
      Args.notNull("operatorToken", operatorToken);
      boolean visible = operatorToken.chars().allMatch(c -> c > 0x20 && c < 0x7F);
      if (operatorToken.length() < 16 || operatorToken.length() > 512 || !visible) {
        throw new IllegalArgumentException(
            "operatorToken must be 16 to 512 visible ASCII characters without spaces (its value"
                + " is not shown)");
      }
      this.operatorToken = digest(operatorToken);
      return this;
    }

    /** The options set so far (there is no cross-field rule). */
    public AdminOptions build() {
      return new AdminOptions(this);
    }
  }
}
