/**
 * The in-memory executor: the reference implementation of the contract, for tests and the
 * simulation.
 */
@NullMarked
package io.statefulroute.core.memory;

import org.jspecify.annotations.NullMarked;
