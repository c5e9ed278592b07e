package io.statefulroute.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
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
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Maps what Lettuce and Reactor signal to the typed exceptions of the executor contract. Redis
 * error replies are recognised by their error code (the first word: {@code WRONGTYPE}, our {@code
 * SR_CORRUPT}; {@code CLUSTERDOWN}, {@code LOADING} and the other transient codes map to {@link
 * StoreUnavailableException}), which is the stable part of a reply; NOSCRIPT never reaches here (it
 * is handled by type, {@code RedisNoScriptException}, before). A throwable that is neither a Redis
 * reply nor a connection failure is a defect and maps to a plain {@link StatefulRouteException},
 * never to {@link StoreUnavailableException}. Every exception names the {@link Operation} by its
 * {@link Operation#tag()}, e.g. {@code set_link_if_absent}.
 *
 * <p>Internal, not API: may change.
 */
public final class ErrorTranslator {
  /**
   * Error replies of a Redis that cannot serve right now (a cluster without a master for the slot,
   * a failover or resharding in progress, a dataset still loading, a busy script): the store is
   * unavailable, not the call wrong.
   */
  private static final Set<String> TRANSIENT =
      Set.of("CLUSTERDOWN", "TRYAGAIN", "LOADING", "MASTERDOWN", "BUSY", "READONLY");

  private ErrorTranslator() {}

  /** The typed exception for {@code error} of a call of {@code op}. */
  public static Throwable translate(Operation op, Duration timeout, Throwable error) {
    String operation = op.tag();
    if (error instanceof StatefulRouteException || error instanceof IllegalArgumentException) {
      return error;
    }
    if (error instanceof InFlightLimitException limited) {
      return new StoreOverloadedException(operation, limited.limit());
    }
    if (error instanceof TimeoutException || error instanceof RedisCommandTimeoutException) {
      return new StoreTimeoutException(operation, timeout, error);
    }
    if (error instanceof RedisCommandExecutionException) {
      String code = errorCode(error.getMessage());
      if ("WRONGTYPE".equals(code) || "SR_CORRUPT".equals(code)) {
        return new CorruptDataException(operation + ": " + firstLine(error.getMessage()), error);
      }
      if (TRANSIENT.contains(code)) {
        return new StoreUnavailableException(
            operation + ": Redis unavailable (" + firstLine(error.getMessage()) + ")", error);
      }
      return new ScriptException(operation + " failed: " + firstLine(error.getMessage()), error);
    }
    if (isConnectionFailure(error)) {
      return new StoreUnavailableException(
          operation
              + ": Redis unavailable ("
              + error.getClass().getSimpleName()
              + ": "
              + firstLine(error.getMessage())
              + ")",
          error);
    }
    // anything else (a decoder bug, a ClassCastException, an NPE) is a defect, not an outage:
    // it must not look like one, or it would be retried, counted and alerted on as Redis down
    return new StatefulRouteException(
        operation
            + ": unexpected error, not a store outage ("
            + error.getClass().getName()
            + ": "
            + firstLine(error.getMessage())
            + ")",
        error);
  }

  /**
   * What Lettuce, Netty and the JDK signal when the connection cannot carry the call: Lettuce's own
   * exceptions (connection refused or closed, reconnecting, a rejected command), I/O errors, and an
   * event loop that refuses work (shutting down).
   */
  private static boolean isConnectionFailure(Throwable error) {
    return error instanceof RedisException
        || error instanceof IOException
        || error instanceof RejectedExecutionException
        || error.getCause() instanceof IOException;
  }

  static String errorCode(@Nullable String message) {
    if (message == null) {
      return "";
    }
    int space = message.indexOf(' ');
    return space < 0 ? message : message.substring(0, space);
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
