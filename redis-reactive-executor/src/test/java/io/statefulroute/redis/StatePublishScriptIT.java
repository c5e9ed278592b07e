package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.statefulroute.core.PodState;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.StateCodec;
import io.statefulroute.redis.internal.Scripts;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * state_publish.lua called directly, bypassing the Java checks: it refuses every incarnation the
 * readers would skip (Args.incarnation, applied by StateCodec.decode), and accepts every one they
 * decode, counting lengths in UTF-16 code units as Java does.
 */
class StatePublishScriptIT {
  private static final String KEY = "sr:{ns:svc}:st";

  @Test
  void statePublish_incarnationTheReadersReject_isRefusedWithSrArg_andOneTheyAcceptIsWritten() {
    try (RedisProcess server = RedisServers.startStandalone()) {
      RedisClient client = RedisClient.create(server.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        RedisCommands<String, String> redis = connection.sync();
        int max = Args.MAX_INCARNATION_LENGTH;
        for (String refused :
            List.of(
                "",
                "x".repeat(256),
                "x".repeat(max + 1),
                "\u00e9".repeat(max + 1),
                "\ud83d\ude00".repeat(max / 2) + "a",
                "a|b",
                "a\tb",
                "a\u0085b")) {
          assertThatThrownBy(() -> publish(redis, refused))
              .as("incarnation of %d UTF-16 units: %s", refused.length(), refused)
              .isInstanceOf(RedisCommandExecutionException.class)
              .hasMessageContaining("SR_ARG incarnation must be 1-64 characters");
        }
        assertThat(redis.hlen(KEY)).isZero(); // nothing written
        for (String accepted :
            List.of(
                "x".repeat(max), "\u00e9".repeat(max), "\ud83d\ude00".repeat(max / 2), "inc-0")) {
          publish(redis, accepted);
          PodState read = StateCodec.decode("0", redis.hget(KEY, "0"));
          assertThat(read).as("incarnation %s", accepted).isNotNull();
          assertThat(read.incarnation()).isEqualTo(accepted);
        }
      } finally {
        client.shutdown();
      }
    }
  }

  private static Long publish(RedisCommands<String, String> redis, String incarnation) {
    return redis.eval(
        Scripts.STATE_PUBLISH.body(),
        ScriptOutputType.INTEGER,
        new String[] {KEY},
        "0",
        "3",
        "R",
        incarnation,
        "60000");
  }
}
