package io.statefulroute.examples.game;

import io.statefulroute.core.RoutingState;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ShedRequest;
import io.statefulroute.spring.boot.ServerOptionsCustomizer;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The users this pod serves (uid to its last request). Its size is the load the pod publishes; the
 * drain ends when it is empty.
 */
@Component
public class Sessions implements DisposableBean {
  /** One session: when its user was last served, and how many requests it had. */
  record Session(long lastSeenNanos, long requests) {}

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicLong released = new AtomicLong();
  private final int releasePerTick;
  private final Duration tick;
  private volatile @Nullable ServerDriver driver;
  private volatile Disposable loops = () -> {};

  Sessions(
      @Value("${game.drain.release-per-tick:5}") int releasePerTick,
      @Value("${game.drain.tick:100ms}") Duration tick) {
    this.releasePerTick = releasePerTick;
    this.tick = tick;
  }

  /**
   * Starts answering the pod's driver: its shed requests get the most idle sessions, and while it
   * drains (its stop published DENY_NEW_CALL) a few sessions are released per tick, so each user is
   * served here until released, then placed on another pod.
   */
  void attach(ServerDriver server) {
    this.driver = server;
    Disposable shedding =
        server.shedRequests().concatMap((ShedRequest r) -> release(r.links())).subscribe();
    Disposable draining =
        Flux.interval(tick)
            .onBackpressureDrop() // a tick that finds a release in flight is skipped
            .filter(t -> routingState() == RoutingState.DENY_NEW_CALL && !sessions.isEmpty())
            .concatMap(t -> release(releasePerTick))
            .subscribe();
    this.loops = Disposables.composite(shedding, draining);
  }

  /** Serves one request of {@code uid}: a new session unless the pod drains. */
  Session serve(String uid) {
    long now = System.nanoTime();
    if (routingState() != RoutingState.READY) {
      // draining: users not released yet are still served, nobody new is taken in
      Session s = sessions.computeIfPresent(uid, (k, v) -> new Session(now, v.requests() + 1));
      return s != null ? s : new Session(now, 1);
    }
    return sessions.merge(
        uid, new Session(now, 1), (old, one) -> new Session(now, old.requests() + 1));
  }

  int size() {
    return sessions.size();
  }

  long released() {
    return released.get();
  }

  /** Releases the {@code count} most idle sessions: their links go, their next request moves. */
  Mono<Void> release(int count) {
    ServerDriver server = driver;
    if (server == null) {
      return Mono.empty();
    }
    List<String> idle =
        sessions.entrySet().stream()
            .sorted(Comparator.comparingLong(e -> e.getValue().lastSeenNanos()))
            .limit(count)
            .map(Map.Entry::getKey)
            .toList();
    return server
        .releaseLinks(Flux.fromIterable(idle))
        .doOnNext(
            summary -> {
              idle.forEach(sessions::remove);
              released.addAndGet(idle.size());
            })
        .then();
  }

  private RoutingState routingState() {
    ServerDriver server = driver;
    return server == null ? RoutingState.READY : server.routingState();
  }

  @Override
  public void destroy() {
    loops.dispose();
  }

  /** What the properties cannot say: the load and the end of the drain. */
  @Configuration(proxyBeanMethods = false)
  static class Wiring {
    @Bean
    ServerOptionsCustomizer sessionsAsLoad(Sessions sessions) {
      return b -> b.loadSupplier(sessions::size).drainedWhen(() -> sessions.size() == 0);
    }
  }
}
