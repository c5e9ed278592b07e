package io.statefulroute.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.ScriptException;
import io.statefulroute.core.StoreTimeoutException;
import io.statefulroute.core.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorTranslatorTest {
  private static final Duration T = Duration.ofSeconds(1);

  @Test
  void errorReplies_mapByErrorCode() {
    assertThat(ErrorTranslator.translate("op", T, new RedisCommandExecutionException(
        "WRONGTYPE Operation against a key holding the wrong kind of value")))
        .isInstanceOf(CorruptDataException.class);
    assertThat(ErrorTranslator.translate("op", T, new RedisCommandExecutionException(
        "SR_CORRUPT link value is not a pod index script: abc")))
        .isInstanceOf(CorruptDataException.class);
    assertThat(ErrorTranslator.translate("op", T, new RedisCommandExecutionException(
        "NOPERM this user has no permissions to run the 'evalsha' command")))
        .isInstanceOf(ScriptException.class).hasMessageContaining("NOPERM");
  }

  @Test
  void timeoutsAndConnectionErrors_mapToTheirTypes() {
    assertThat(ErrorTranslator.translate("op", T, new TimeoutException("x")))
        .isInstanceOf(StoreTimeoutException.class).hasMessageContaining("1000 ms");
    assertThat(ErrorTranslator.translate("op", T, new RedisCommandTimeoutException("x")))
        .isInstanceOf(StoreTimeoutException.class);
    assertThat(ErrorTranslator.translate("op", T, new RedisConnectionException("refused")))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void alreadyTyped_passesThrough() {
    CorruptDataException e = new CorruptDataException("x");
    assertThat(ErrorTranslator.translate("op", T, e)).isSameAs(e);
  }
}
