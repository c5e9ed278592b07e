/**
 * The executor contract as abstract JUnit 5 tests: {@link
 * io.statefulroute.test.contract.StatefulExecutorContract} (every rule of the {@link
 * io.statefulroute.core.StatefulExecutor} SPI, one concern per class of its chain) and {@link
 * io.statefulroute.test.contract.LinkInvariantsProperties} (random sequences of link operations
 * checked against a model). Extend them in a test to check an executor or a decorator of one.
 *
 * <p>Not null-marked, as the project's test sources are not: the contract passes {@code null} on
 * purpose to check that executors reject it before any I/O.
 */
package io.statefulroute.test.contract;
