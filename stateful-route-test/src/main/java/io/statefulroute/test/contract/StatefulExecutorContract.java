package io.statefulroute.test.contract;

import io.statefulroute.core.StatefulExecutor;

/**
 * One behaviour for every {@link StatefulExecutor}: the same test body runs against the in-memory
 * executor, a standalone Redis and a Redis Cluster (as Caffeine runs one test over many cache
 * specs). A target supplies the executor and a few raw-access hooks.
 *
 * <p>Users run it against their own executor, typically a decorator of another one (a {@link
 * io.statefulroute.core.ForwardingStatefulExecutor} subclass that adds metrics, retries or
 * caching): extend this class in a test, return the executor under test from {@link #executor()}
 * and implement the raw-access hooks on the store underneath ({@link
 * io.statefulroute.core.memory.InMemoryStatefulExecutor#pttl(String)} and its raw writes for the
 * in-memory executor, Lettuce commands for Redis). JUnit then runs every test of the chain of
 * concerns above this class: {@link LinkWriteContract}, {@link LinkRemovalContract}, {@link
 * LinkListingContract}, {@link PodStateContract}, {@link OperatorContract}, {@link
 * BadInputContract}, {@link ConcurrencyContract}, {@link LinkEventsContract} and {@link
 * RebalancingContract}.
 *
 * <p>Each test uses a fresh random namespace, so targets may share one server between tests.
 */
public abstract class StatefulExecutorContract extends RebalancingContract {
  /** For subclasses. */
  protected StatefulExecutorContract() {}
}
