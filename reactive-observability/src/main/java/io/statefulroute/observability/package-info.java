/** Micrometer meters, Observation tracing, the admin endpoint and the performance analyzer. */
package io.statefulroute.observability;
