package io.statefulroute.core.memory;

import io.statefulroute.core.CorruptDataException;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The one lock of an in-memory executor: every operation runs under it, which makes each operation
 * atomic as a Lua script is in Redis (the {@link InMemoryStore} is not thread-safe).
 */
final class StoreLock {
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * Runs {@code op} under the lock when subscribed; a null result completes the {@code Mono} empty,
   * and a value of the wrong type in the store fails the operation with {@link
   * CorruptDataException}.
   */
  <T> Mono<T> atomically(Callable<? extends @Nullable T> op) {
    return Mono.fromCallable(
        () -> {
          lock.lock();
          try {
            return op.call();
          } catch (InMemoryStore.WrongTypeException wrongType) {
            throw new CorruptDataException("a key holds a value of the wrong type", wrongType);
          } finally {
            lock.unlock();
          }
        });
  }

  /** Runs {@code op} under the lock now, on the calling thread (the tests' hooks). */
  <T> T locked(Supplier<T> op) {
    lock.lock();
    try {
      return op.get();
    } finally {
      lock.unlock();
    }
  }
}
