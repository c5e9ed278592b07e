package io.statefulroute.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.StatefulExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;

/** The link events of one namespace of an executor, queued for a test to take in order. */
public final class LinkEventRecorder implements AutoCloseable {
  private final BlockingQueue<LinkEvent> queue = new LinkedBlockingQueue<>();
  private final Disposable subscription;
  private final Duration wait;

  /** Subscribes at once; {@link #next()} waits at most {@code wait} for each event. */
  public LinkEventRecorder(StatefulExecutor executor, String namespace, Duration wait) {
    this.wait = wait;
    this.subscription = executor.linkEvents(namespace).subscribe(queue::add);
  }

  /** The next event, failing the test when none comes within the wait. */
  public LinkEvent next() {
    LinkEvent event = poll(wait);
    assertThat(event).as("a link event within %s", wait).isNotNull();
    return event;
  }

  /** The next event within {@code timeout}, or null. */
  public LinkEvent poll(Duration timeout) {
    try {
      return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public void expect(LinkEvent event) {
    assertThat(next()).isEqualTo(event);
  }

  /** Skips Unsubscribed / Subscribed flaps (reconnect attempts) until {@code event}. */
  public void expectEventually(LinkEvent event) {
    List<LinkEvent> skipped = new ArrayList<>();
    for (LinkEvent next = next(); !next.equals(event); next = next()) {
      assertThat(next)
          .as("skipped so far: %s", skipped)
          .isInstanceOfAny(LinkEvent.Subscribed.class, LinkEvent.Unsubscribed.class);
      skipped.add(next);
    }
  }

  /** The events already delivered and not taken (for "nothing else came" checks). */
  public List<LinkEvent> pending() {
    return new ArrayList<>(queue);
  }

  @Override
  public void close() {
    subscription.dispose();
  }
}
