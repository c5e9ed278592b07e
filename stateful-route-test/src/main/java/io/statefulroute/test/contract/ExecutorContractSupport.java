package io.statefulroute.test.contract;

import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.test.LinkEventRecorder;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import reactor.core.publisher.Mono;

/**
 * The root of the executor contract: the hooks a target implements, the constants and the key
 * helpers every part of the contract uses. Extend {@link StatefulExecutorContract}, not this class.
 *
 * <p>Each test uses a fresh random namespace ({@link #ns}), so targets may share one server between
 * tests.
 */
public abstract class ExecutorContractSupport {
  protected static final long P = StatefulExecutor.PERSISTENT;
  protected static final String SVC = "game";
  protected static final Duration NOW = Duration.ZERO;
  protected static final Duration PRUNE = Duration.ofMinutes(5);

  protected final KeySchema keys = KeySchema.defaults();
  protected String ns;

  /** The executor under test (the same instance for the whole test method). */
  protected abstract StatefulExecutor executor();

  /** {@code n} executors on the same store, each with its own connection where there is one. */
  protected abstract List<StatefulExecutor> executors(int n);

  /** Lets {@code d} pass on the store's clock (virtual time in memory, real time on Redis). */
  protected abstract void advance(Duration d);

  /** The remaining time to live of a raw key in ms: -1 persistent, -2 absent (PTTL). */
  protected abstract long pttl(String key);

  /** Stores a raw string under a key, bypassing every rule. */
  protected abstract void writeRawString(String key, String value);

  /** Stores a raw hash field under a key, bypassing every rule. */
  protected abstract void writeRawHashField(String key, String field, String value);

  /** Makes the store forget its loaded scripts (SCRIPT FLUSH on every node); no-op in memory. */
  protected abstract void flushScripts();

  @BeforeEach
  void freshNamespace() {
    ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  protected String link(String uid) {
    return keys.link(ns, uid, SVC);
  }

  protected String removal(String uid) {
    return keys.linkRemoval(ns, uid, SVC);
  }

  protected String index(String uid) {
    return keys.linkIndex(ns, uid);
  }

  /** Waits up to 10 s for the value of {@code mono} (null when it completes empty). */
  protected static <T> T await(Mono<T> mono) {
    return mono.block(Duration.ofSeconds(10));
  }

  /** Subscribes to the namespace's link events and waits until the store listens. */
  protected static LinkEventRecorder events(StatefulExecutor executor, String namespace) {
    LinkEventRecorder events = new LinkEventRecorder(executor, namespace, Duration.ofSeconds(10));
    events.expect(new LinkEvent.Subscribed(namespace));
    return events;
  }
}
