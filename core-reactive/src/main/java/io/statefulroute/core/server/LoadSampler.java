package io.statefulroute.core.server;

import io.statefulroute.core.spi.Args;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import reactor.core.Exceptions;

/**
 * The load a {@link DefaultServerDriver} publishes: the configured loadSupplier's (or else the
 * value given to {@link #set}), weighted with the queue length supplier's when there is one. A
 * sample whose supplier throws, or returns a negative load, is the last good load instead ({@link
 * ServerDriver#DEFAULT_LOAD} before the first), counted and reported to the listener.
 */
final class LoadSampler {
  private final ServerOptions options;
  private final AtomicInteger baseLoad = new AtomicInteger();

  /** The last load computed without a supplier failure; DEFAULT_LOAD before the first. */
  private final AtomicInteger lastGoodLoad = new AtomicInteger(ServerDriver.DEFAULT_LOAD);

  private final LongAdder failures = new LongAdder();

  LoadSampler(ServerOptions options) {
    this.options = options;
  }

  /**
   * Sets the load when there is no loadSupplier ({@link ServerDriver#setLoad}).
   *
   * @return whether it changed
   */
  boolean set(int load) {
    Args.nonNegative("load", load);
    if (options.loadSupplier().isPresent()) {
      throw new IllegalStateException("the load comes from the configured loadSupplier");
    }
    return baseLoad.getAndSet(load) != load;
  }

  /** The current load; never throws: a failing supplier gives the last good load. */
  int sample() {
    int load;
    try {
      load = computeLoad();
    } catch (Throwable e) {
      Exceptions.throwIfJvmFatal(e);
      loadSupplierFailed(e);
      return lastGoodLoad.get();
    }
    lastGoodLoad.set(load);
    return load;
  }

  /** The samples whose supplier failed. */
  long failures() {
    return failures.sum();
  }

  /** The load from the suppliers (or setLoad); throws what they throw, or on a negative load. */
  private int computeLoad() {
    int base;
    if (options.loadSupplier().isPresent()) {
      base = options.loadSupplier().get().getAsInt();
      if (base < 0) {
        throw new IllegalArgumentException(
            "loadSupplier returned " + base + ": rule 'load >= 0' violated");
      }
    } else {
      base = baseLoad.get();
    }
    double f = options.queueWeight();
    if (f == 0 || options.queueLengthSupplier().isEmpty()) {
      return base;
    }
    IntSupplier queueLength = options.queueLengthSupplier().get();
    int queue = queueLength.getAsInt(); // a negative length is clamped below, by design
    long weighted = Math.round(f * queue + (1 - f) * base);
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, weighted));
  }

  private void loadSupplierFailed(Throwable error) {
    failures.increment();
    ServerListener listener = options.listener();
    if (listener != ServerListener.NOOP) {
      try {
        listener.loadSupplierFailed(options.namespace(), options.service(), options.pod(), error);
      } catch (RuntimeException ignored) {
        // listeners must not throw; one that does must not end the publication loop
      }
    }
  }
}
