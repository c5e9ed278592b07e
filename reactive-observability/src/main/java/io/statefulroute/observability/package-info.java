/** Micrometer meters, Observation tracing, the admin endpoint and the performance analyzer. */
@NullMarked
package io.statefulroute.observability;

import org.jspecify.annotations.NullMarked;
