package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.statefulroute.redis.internal.EvictionPolicy;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import io.statefulroute.test.redis.RedisTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Links vanish without an announcement when Redis evicts them: the executor reads every master's
 * {@code maxmemory-policy} at start ({@code INFO memory}, no CONFIG permission needed) and warns
 * when it is not {@code noeviction}.
 */
class EvictionPolicyIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Logger logger = Logger.getLogger("io.statefulroute.redis");
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureWarnings() {
    logger.addHandler(capture);
  }

  @AfterEach
  void release() {
    logger.removeHandler(capture);
  }

  @Test
  void volatilePolicy_isReadAtStartAndWarnedAbout() {
    try (RedisProcess server = RedisServers.startStandalone("--maxmemory-policy", "volatile-lru")) {
      RedisClient client = RedisClient.create(server.uri());
      try (RedisStatefulExecutor executor = RedisStatefulExecutor.create(client)) {
        Map<String, EvictionPolicy> policies = executor.evictionPolicies().block(WAIT);
        assertThat(policies.values()).containsExactly(new EvictionPolicy("volatile-lru"));
        assertThat(warnings)
            .anySatisfy(
                r -> assertThat(r.getMessage()).contains("volatile-lru").contains("noeviction"));
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void noeviction_noWarning() {
    try (RedisProcess server = RedisServers.startStandalone("--maxmemory-policy", "noeviction")) {
      RedisClient client = RedisClient.create(server.uri());
      try (RedisStatefulExecutor executor = RedisStatefulExecutor.create(client)) {
        assertThat(executor.evictionPolicies().block(WAIT).values())
            .containsExactly(new EvictionPolicy("noeviction"));
        assertThat(warnings).isEmpty();
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void cluster_everyMasterIsRead() {
    RedisTarget target = RedisServers.cluster();
    RedisClusterClient client =
        RedisClusterClient.create(
            target.uris().stream().map(RedisURI::create).collect(Collectors.toList()));
    try (RedisStatefulExecutor executor = RedisStatefulExecutor.create(client)) {
      Map<String, EvictionPolicy> policies = executor.evictionPolicies().block(WAIT);
      assertThat(policies).hasSizeGreaterThanOrEqualTo(3);
      assertThat(policies.values()).allSatisfy(p -> assertThat(p.name()).isNotBlank());
    } finally {
      client.shutdown();
    }
  }
}
