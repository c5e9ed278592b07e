package io.statefulroute.examples.game;

import io.statefulroute.spring.boot.ServerDriverLifecycle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps the web server answering for {@code game.linger} after the driver published SHUTDOWN:
 * gateways see the new state only at their next state refresh (every second by default), and a
 * request a gateway sends before then must still be answered. Its phase is just below the server
 * driver's, so it stops after the driver and before the web server.
 */
@Component
class LingerAfterShutdown implements SmartLifecycle {
  private final Duration linger;
  private final AtomicBoolean running = new AtomicBoolean();

  LingerAfterShutdown(@Value("${game.linger:2s}") Duration linger) {
    this.linger = linger;
  }

  @Override
  public void start() {
    running.set(true);
  }

  @Override
  public void stop() {
    running.set(false);
  }

  @Override
  public void stop(Runnable callback) {
    running.set(false);
    Mono.delay(linger).subscribe(t -> callback.run());
  }

  @Override
  public boolean isRunning() {
    return running.get();
  }

  @Override
  public int getPhase() {
    return ServerDriverLifecycle.PHASE - 1;
  }
}
