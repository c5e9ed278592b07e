/**
 * Test support for code that uses stateful-route, as {@code reactor-test} is for Reactor: {@link
 * io.statefulroute.test.VirtualClock} (virtual time at a realistic epoch for the in-memory executor
 * and the drivers), {@link io.statefulroute.test.FaultyExecutor} (fault injection and call counts),
 * {@link io.statefulroute.test.LinkEventRecorder}, and the coherence checker ({@link
 * io.statefulroute.test.CoherenceHistory}, {@link io.statefulroute.test.StalenessChecker}).
 */
@NullMarked
package io.statefulroute.test;

import org.jspecify.annotations.NullMarked;
