package io.statefulroute.spring.boot;

import io.statefulroute.core.server.ServerDriver;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link ServerDriver} once the web server serves and stops it before the web server
 * stops (docs/spring-boot.md, Lifecycle). Its phase, {@value #PHASE}, is above the web server's
 * start (Boot's {@code DEFAULT_PHASE - 2048}) and its graceful shutdown ({@code DEFAULT_PHASE -
 * 1024}): Spring starts lower phases first and stops higher phases first. So the pod is published
 * only when it can answer, and its stop (DENY_NEW_CALL, the drain, SHUTDOWN) runs while it still
 * answers its users, within {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
public final class ServerDriverLifecycle implements SmartLifecycle {
  /** {@code SmartLifecycle.DEFAULT_PHASE - 512}. */
  public static final int PHASE = Integer.MAX_VALUE - 512;

  private static final Log LOG = LogFactory.getLog(ServerDriverLifecycle.class);

  private final ServerDriver driver;
  private final AtomicBoolean running = new AtomicBoolean();

  ServerDriverLifecycle(ServerDriver driver) {
    this.driver = driver;
  }

  /**
   * Starts publishing; returns at once. A first publication that failed all its retries is logged
   * (the driver keeps trying, and clients see the pod once one succeeds).
   */
  @Override
  public void start() {
    if (running.compareAndSet(false, true)) {
      driver
          .start()
          .doOnSuccess(
              v ->
                  LOG.info(
                      "stateful-route: pod "
                          + driver.options().pod()
                          + " of "
                          + driver.options().namespace()
                          + "/"
                          + driver.options().service()
                          + " published"))
          .subscribe(
              v -> {},
              e ->
                  LOG.warn(
                      "stateful-route: the first publication of pod "
                          + driver.options().pod()
                          + " failed; the driver keeps publishing",
                      e));
    }
  }

  @Override
  public void stop() {
    stop(() -> {});
  }

  /** Stops the driver without blocking; {@code callback} runs when its stop completed. */
  @Override
  public void stop(Runnable callback) {
    if (!running.get()) {
      callback.run();
      return;
    }
    driver
        .stop()
        .doFinally(
            signal -> {
              running.set(false);
              callback.run();
            })
        .subscribe(v -> {}, e -> LOG.warn("stateful-route: the server driver's stop failed", e));
  }

  @Override
  public boolean isRunning() {
    return running.get();
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
