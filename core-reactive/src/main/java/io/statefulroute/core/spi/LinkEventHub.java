package io.statefulroute.core.spi;

import io.statefulroute.core.LinkEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Fans link events out to the subscribers of each namespace, for the executors' {@code linkEvents}.
 * The executor tells the hub when it starts ({@link #listening}) and stops ({@link #notListening})
 * listening to a namespace, and {@link #deliver}s the changes it hears; the hub tells the executor
 * when a namespace gains its first subscriber ({@code watch}) and loses its last ({@code unwatch}).
 * A subscriber arriving while the namespace is listened to gets {@link LinkEvent.Subscribed} at
 * once, before any change; one arriving while the executor starts listening gets exactly one
 * Subscribed too. Subscribers' handlers must not block: state changes are delivered under the hub's
 * lock.
 */
public final class LinkEventHub {
  private final Map<String, List<FluxSink<LinkEvent>>> subscribers = new ConcurrentHashMap<>();
  private final Set<String> listening = ConcurrentHashMap.newKeySet();
  private final Consumer<String> watch;
  private final Consumer<String> unwatch;
  private final boolean alwaysListening;
  private volatile boolean closed;

  /** A hub for an executor that must subscribe to each namespace's changes somewhere. */
  public LinkEventHub(Consumer<String> watch, Consumer<String> unwatch) {
    this(watch, unwatch, false);
  }

  private LinkEventHub(Consumer<String> watch, Consumer<String> unwatch, boolean always) {
    this.watch = watch;
    this.unwatch = unwatch;
    this.alwaysListening = always;
  }

  /** A hub for an executor that sees every change itself (in-process): always listening. */
  public static LinkEventHub inProcess() {
    return new LinkEventHub(ns -> {}, ns -> {}, true);
  }

  /**
   * Events held for one subscriber that requests less than arrives; past it the subscriber is told
   * it fell behind ({@link LinkEvent.Unsubscribed}) and is subscribed afresh (a new {@link
   * LinkEvent.Subscribed} follows while the namespace is listened to), so it re-verifies what it
   * holds instead of missing changes silently.
   */
  public static final int SUBSCRIBER_BUFFER = 65_536;

  /** The events of one namespace (validated at once). */
  public Flux<LinkEvent> events(String namespace) {
    Args.namespace(namespace);
    return subscribe(namespace)
        .onBackpressureBuffer(SUBSCRIBER_BUFFER, BufferOverflowStrategy.ERROR)
        .onErrorResume(
            Exceptions::isOverflow,
            overflow ->
                Flux.<LinkEvent>just(
                        new LinkEvent.Unsubscribed(
                            namespace,
                            "subscriber fell behind: more than "
                                + SUBSCRIBER_BUFFER
                                + " events not yet requested"))
                    .concatWith(Flux.defer(() -> closed ? Flux.empty() : events(namespace))));
  }

  private Flux<LinkEvent> subscribe(String namespace) {
    return Flux.create(
        sink -> {
          if (closed) {
            sink.complete();
            return;
          }
          boolean first;
          synchronized (this) {
            List<FluxSink<LinkEvent>> list =
                subscribers.computeIfAbsent(namespace, ns -> new CopyOnWriteArrayList<>());
            first = list.isEmpty();
            // under the lock that listening() and notListening() take: the new subscriber gets
            // exactly one Subscribed for the current state (checked here, or delivered by a later
            // listening(), never both), and gets it before it is visible to any change delivered
            if (alwaysListening || listening.contains(namespace)) {
              sink.next(new LinkEvent.Subscribed(namespace));
            }
            list.add(sink);
          }
          sink.onDispose(() -> remove(namespace, sink));
          if (first) {
            watch.accept(namespace);
          }
        },
        FluxSink.OverflowStrategy.BUFFER);
  }

  /** Namespaces with at least one subscriber. */
  public Set<String> watched() {
    return Set.copyOf(subscribers.keySet());
  }

  /** Whether the executor currently listens to {@code namespace}. */
  public boolean isListening(String namespace) {
    return alwaysListening || listening.contains(namespace);
  }

  /**
   * The executor listens to {@code namespace} (again): every change from now on is delivered.
   * Subscribers get {@link LinkEvent.Subscribed} when this starts a listening period.
   */
  public synchronized void listening(String namespace) {
    if (listening.add(
        namespace)) { // a repeated confirmation (a channel subscribed twice) is not news
      deliver(new LinkEvent.Subscribed(namespace));
    }
  }

  /** The executor stopped listening to {@code namespace} (e.g. its connection was lost). */
  public synchronized void notListening(String namespace, String reason) {
    if (listening.remove(namespace)) {
      deliver(new LinkEvent.Unsubscribed(namespace, reason));
    }
  }

  /**
   * Changes of {@code namespace} may have been lost although none was missed (on a Redis Cluster, a
   * master changed: writes the old master acknowledged, and announced, may be gone). While the
   * namespace is listened to, subscribers get {@link LinkEvent.Unsubscribed} with {@code reason}
   * and at once {@link LinkEvent.Subscribed} again, as after a reconnect, so that they re-verify
   * what they hold; otherwise nothing happens (the {@link LinkEvent.Subscribed} that ends the
   * current gap makes them re-verify anyway). Atomic with {@link #listening} and {@link
   * #notListening}: a connection lost meanwhile is reported after it, never hidden by it.
   */
  public synchronized void changesMayBeLost(String namespace, String reason) {
    if (isListening(namespace)) {
      deliver(new LinkEvent.Unsubscribed(namespace, reason));
      deliver(new LinkEvent.Subscribed(namespace));
    }
  }

  /** Hands an event to every subscriber of its namespace. */
  public void deliver(LinkEvent event) {
    List<FluxSink<LinkEvent>> list = subscribers.get(event.namespace());
    if (list != null) {
      for (FluxSink<LinkEvent> sink : list) {
        sink.next(event);
      }
    }
  }

  /** Completes every subscriber; later subscribers complete at once. */
  public void close() {
    closed = true;
    for (List<FluxSink<LinkEvent>> list : subscribers.values()) {
      list.forEach(FluxSink::complete);
    }
  }

  private void remove(String namespace, FluxSink<LinkEvent> sink) {
    boolean last;
    synchronized (this) {
      List<FluxSink<LinkEvent>> list = subscribers.get(namespace);
      if (list == null || !list.remove(sink)) {
        return;
      }
      last = list.isEmpty();
      if (last) {
        subscribers.remove(namespace);
        listening.remove(namespace);
      }
    }
    if (last && !closed) {
      unwatch.accept(namespace);
    }
  }
}
