package io.statefulroute.spring.boot;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.state.ServiceStateCache;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the client driver, the state cache and the executor when the context stops, in phase
 * {@value #PHASE}: just before Spring Data Redis's {@code LettuceConnectionFactory} (phase 0),
 * whose stop shuts down the client the executor's connections run on. Closed later, at bean
 * destruction, they would find their connections closed under them. Closing again at destruction
 * does nothing.
 */
final class ExecutorShutdown implements SmartLifecycle {
  static final int PHASE = 1;

  private final StatefulExecutor executor;
  private final @Nullable ServiceStateCache states;
  private final @Nullable ClientDriver client;
  private final AtomicBoolean running = new AtomicBoolean();

  ExecutorShutdown(
      StatefulExecutor executor,
      @Nullable ServiceStateCache states,
      @Nullable ClientDriver client) {
    this.executor = executor;
    this.states = states;
    this.client = client;
  }

  @Override
  public void start() {
    running.set(true);
  }

  @Override
  public void stop() {
    if (running.compareAndSet(true, false)) {
      ClientDriver c = client;
      if (c != null) {
        c.close();
      }
      ServiceStateCache s = states;
      if (s != null) {
        s.close();
      }
      executor.close();
    }
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
