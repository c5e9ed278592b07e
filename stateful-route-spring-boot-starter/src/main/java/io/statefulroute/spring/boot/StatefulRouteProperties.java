package io.statefulroute.spring.boot;

import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.core.spi.Args;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * The {@code statefulroute.*} properties (docs/spring-boot.md has them in one table). Checked once
 * bound: a bad value fails the start with {@link InvalidConfigurationPropertyValueException} naming
 * the property, before any connection is made.
 */
@ConfigurationProperties("statefulroute")
public class StatefulRouteProperties
    implements InitializingBean, EnvironmentAware, BeanFactoryAware {
  /** The namespace of this application's services; required when a role is enabled. */
  private @Nullable String namespace;

  private final Redis redis = new Redis();
  private final Client client = new Client();
  private final Server server = new Server();

  /** The application's environment, for the checks of the pod role; null outside a context. */
  private @Nullable Environment environment;

  /** Where the starter's server driver is defined (or not: the application has its own). */
  private @Nullable BeanFactory beanFactory;

  public @Nullable String getNamespace() {
    return namespace;
  }

  public void setNamespace(@Nullable String namespace) {
    this.namespace = namespace;
  }

  public Redis getRedis() {
    return redis;
  }

  public Client getClient() {
    return client;
  }

  public Server getServer() {
    return server;
  }

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  /** The namespace, checked by {@link #afterPropertiesSet} when a role is enabled. */
  public String namespace() {
    if (namespace == null) {
      throw invalid("statefulroute.namespace", null, "required when a role is enabled");
    }
    return namespace;
  }

  @Override
  public void afterPropertiesSet() {
    if (client.enabled || server.enabled) {
      check("statefulroute.namespace", namespace, () -> Args.namespace(namespace()));
    }
    if (server.enabled) {
      String service = server.service;
      if (service == null) {
        throw invalid(
            "statefulroute.server.service", null, "required when statefulroute.server.enabled");
      }
      check("statefulroute.server.service", service, () -> Args.service(service));
      Integer pod = server.podIndex;
      if (pod != null && pod < 0) {
        throw invalid("statefulroute.server.pod-index", pod, "must be >= 0");
      }
      check(
          "statefulroute.server",
          "publish-period="
              + server.publishPeriod
              + ", state-expiry="
              + server.stateExpiry
              + ", lease-ttl="
              + server.leaseTtl
              + ", drain-timeout="
              + server.drainTimeout
              + ", shutdown-timeout="
              + server.shutdownTimeout,
          () -> server.apply(ServerOptions.builder(namespace(), service, 0)).build());
      Environment env = environment;
      BeanFactory beans = beanFactory;
      if (env != null
          && beans != null
          && beans.containsBean(StatefulRouteServerConfiguration.DRIVER_BEAN)) {
        // the starter's driver: its shutdown phase and pod index, before the executor connects
        StatefulRouteServerConfiguration.checkedPod(server, env);
      }
    }
  }

  private static void check(String name, @Nullable Object value, Runnable check) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      throw invalid(name, value, e.getMessage());
    }
  }

  static InvalidConfigurationPropertyValueException invalid(
      String name, @Nullable Object value, @Nullable String reason) {
    return new InvalidConfigurationPropertyValueException(name, value, reason);
  }

  /** {@code statefulroute.redis.*}: the store when the application has no Lettuce factory. */
  public static class Redis {
    /**
     * The Redis URI ({@code redis://}, {@code rediss://}, {@code redis-sentinel://}), used only
     * when the application has no Spring Data Redis Lettuce connection factory (whose native client
     * is reused otherwise).
     */
    private @Nullable String uri;

    /** Whether {@code uri} is a node of a Redis Cluster. */
    private boolean cluster;

    public @Nullable String getUri() {
      return uri;
    }

    public void setUri(@Nullable String uri) {
      this.uri = uri;
    }

    public boolean isCluster() {
      return cluster;
    }

    public void setCluster(boolean cluster) {
      this.cluster = cluster;
    }
  }

  /** {@code statefulroute.client.*}: the gateway role. */
  public static class Client {
    /** Whether to register a ClientDriver (the gateway role). */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** {@code statefulroute.server.*}: the pod role. */
  public static class Server {
    /** Whether to register a ServerDriver (the pod role): one pod of a stateful service. */
    private boolean enabled;

    /** The service this pod belongs to; required when enabled. */
    private @Nullable String service;

    /**
     * This pod's index; when not set, from env POD_INDEX (the pod-index label through the downward
     * API) or POD_NAME's ordinal suffix, minus POD_ORDINALS_START.
     */
    private @Nullable Integer podIndex;

    /** The state publication period. */
    private Duration publishPeriod = Duration.ofSeconds(1);

    /** How long a publication keeps the pod fresh for clients (at least 2 x publish-period). */
    private Duration stateExpiry = Duration.ofSeconds(5);

    /** The clients' lease TTL (longer than state-expiry). */
    private Duration leaseTtl = Duration.ofMinutes(5);

    /** How long shutdown waits in DENY_NEW_CALL for the pod's users to be released. */
    private Duration drainTimeout = Duration.ZERO;

    /** The bound of each of the two publications of the shutdown (DENY_NEW_CALL, SHUTDOWN). */
    private Duration shutdownTimeout = Duration.ofSeconds(2);

    /** These properties on a builder (the pod, load supplier and listener are set elsewhere). */
    ServerOptions.Builder apply(ServerOptions.Builder b) {
      return b.publishPeriod(publishPeriod)
          .stateExpiry(stateExpiry)
          .leaseTtl(leaseTtl)
          .drainTimeout(drainTimeout)
          .shutdownTimeout(shutdownTimeout);
    }

    /** The longest the driver's stop takes: the drain and its two bounded publications. */
    Duration longestStop() {
      return drainTimeout.plus(shutdownTimeout.multipliedBy(2));
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public @Nullable String getService() {
      return service;
    }

    public void setService(@Nullable String service) {
      this.service = service;
    }

    public @Nullable Integer getPodIndex() {
      return podIndex;
    }

    public void setPodIndex(@Nullable Integer podIndex) {
      this.podIndex = podIndex;
    }

    public Duration getPublishPeriod() {
      return publishPeriod;
    }

    public void setPublishPeriod(Duration publishPeriod) {
      this.publishPeriod = publishPeriod;
    }

    public Duration getStateExpiry() {
      return stateExpiry;
    }

    public void setStateExpiry(Duration stateExpiry) {
      this.stateExpiry = stateExpiry;
    }

    public Duration getLeaseTtl() {
      return leaseTtl;
    }

    public void setLeaseTtl(Duration leaseTtl) {
      this.leaseTtl = leaseTtl;
    }

    public Duration getDrainTimeout() {
      return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
    }

    public Duration getShutdownTimeout() {
      return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = shutdownTimeout;
    }
  }
}
