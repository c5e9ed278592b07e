/**
 * The executor contract ({@link io.statefulroute.core.StatefulExecutor}): links uid to pod, pod
 * states, the events and the typed errors every executor shares.
 */
@NullMarked
package io.statefulroute.core;

import org.jspecify.annotations.NullMarked;
