package io.statefulroute.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.ScriptException;
import io.statefulroute.core.StatefulExecutor.Operation;
import io.statefulroute.core.StatefulRouteException;
import io.statefulroute.core.StoreOverloadedException;
import io.statefulroute.core.StoreTimeoutException;
import io.statefulroute.core.StoreUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorTranslatorTest {
  private static final Duration T = Duration.ofSeconds(1);
  private static final Operation OP = Operation.SET_LINK_IF_ABSENT;

  @Test
  void errorReplies_mapByErrorCode() {
    assertThat(
            ErrorTranslator.translate(
                OP,
                T,
                new RedisCommandExecutionException(
                    "WRONGTYPE Operation against a key holding the wrong kind of value")))
        .isInstanceOf(CorruptDataException.class);
    assertThat(
            ErrorTranslator.translate(
                OP,
                T,
                new RedisCommandExecutionException(
                    "SR_CORRUPT link value is not a pod index script: abc")))
        .isInstanceOf(CorruptDataException.class);
    assertThat(
            ErrorTranslator.translate(
                OP,
                T,
                new RedisCommandExecutionException(
                    "NOPERM this user has no permissions to run the 'evalsha' command")))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("NOPERM");
  }

  @Test
  void inFlightLimit_mapsToStoreOverloadedNamingTheOperation() {
    Throwable t = ErrorTranslator.translate(Operation.GET_LINK, T, new InFlightLimitException(7));
    assertThat(t)
        .isInstanceOf(StoreOverloadedException.class)
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageStartingWith("get_link refused");
    assertThat(((StoreOverloadedException) t).limit()).isEqualTo(7);
    assertThat(((StoreOverloadedException) t).operation()).isEqualTo("get_link");
  }

  @Test
  void transientErrorReplies_mapToStoreUnavailable() {
    for (String reply :
        new String[] {
          "CLUSTERDOWN The cluster is down",
          "TRYAGAIN Multiple keys request during rehashing of slot",
          "LOADING Redis is loading the dataset in memory",
          "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
          "BUSY Redis is busy running a script.",
          "READONLY You can't write against a read only replica."
        }) {
      assertThat(ErrorTranslator.translate(OP, T, new RedisCommandExecutionException(reply)))
          .as(reply)
          .isInstanceOf(StoreUnavailableException.class);
    }
  }

  @Test
  void timeoutsAndConnectionErrors_mapToTheirTypes() {
    assertThat(ErrorTranslator.translate(OP, T, new TimeoutException("x")))
        .isInstanceOf(StoreTimeoutException.class)
        .hasMessageContaining("1000 ms");
    assertThat(ErrorTranslator.translate(OP, T, new RedisCommandTimeoutException("x")))
        .isInstanceOf(StoreTimeoutException.class);
    assertThat(ErrorTranslator.translate(OP, T, new RedisConnectionException("refused")))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void unclassifiedThrowable_isADefectNotAnOutage() {
    // review: a decoder bug (any unclassified throwable) used to read as StoreUnavailableException
    for (Throwable bug :
        new Throwable[] {
          new NullPointerException("decoder"),
          new ClassCastException("java.lang.Long cannot be cast to java.lang.String"),
          new IllegalStateException("unexpected reply")
        }) {
      Throwable t = ErrorTranslator.translate(Operation.GET_LINK, T, bug);
      assertThat(t)
          .as(bug.toString())
          .isExactlyInstanceOf(StatefulRouteException.class)
          .hasMessageStartingWith("get_link: ")
          .hasMessageContaining("not a store outage")
          .hasCause(bug);
    }
    assertThat(ErrorTranslator.translate(OP, T, new IOException("Connection reset")))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(ErrorTranslator.translate(OP, T, new RedisException("closed")))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(
            ErrorTranslator.translate(
                OP, T, new RejectedExecutionException("event loop shut down")))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void everyTypedError_namesTheOperationByItsTag() {
    // one spelling per operation: the tag meters, traces and errors share, never a script's name
    Operation op = Operation.SET_LINK_IF_ABSENT_LEASE;
    Throwable timeout = ErrorTranslator.translate(op, T, new TimeoutException("x"));
    assertThat(timeout).hasMessage("set_link_if_absent_lease did not complete within 1000 ms");
    assertThat(((StoreTimeoutException) timeout).operation()).isEqualTo(op.tag());
    assertThat(
            ErrorTranslator.translate(
                op,
                T,
                new RedisCommandExecutionException(
                    "SR_CORRUPT link value is not a pod index script: abc")))
        .hasMessage(
            "set_link_if_absent_lease: SR_CORRUPT link value is not a pod index script: " + "abc");
    assertThat(
            ErrorTranslator.translate(
                Operation.READ_STATE,
                T,
                new RedisCommandExecutionException("NOPERM no permissions")))
        .hasMessage("read_state failed: NOPERM no permissions");
    assertThat(
            ErrorTranslator.translate(
                Operation.BATCH_GET_LINKS,
                T,
                new RedisCommandExecutionException("CLUSTERDOWN The cluster is down")))
        .hasMessageStartingWith("batch_get_links: Redis unavailable (CLUSTERDOWN");
    assertThat(
            ErrorTranslator.translate(
                Operation.PUBLISH_STATE, T, new RedisConnectionException("refused")))
        .hasMessageStartingWith("publish_state: Redis unavailable (RedisConnectionException");
  }

  @Test
  void alreadyTyped_passesThrough() {
    CorruptDataException e = new CorruptDataException("x");
    assertThat(ErrorTranslator.translate(OP, T, e)).isSameAs(e);
  }
}
