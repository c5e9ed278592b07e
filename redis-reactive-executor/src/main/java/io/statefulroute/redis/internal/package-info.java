/**
 * Internal, not API: may change. The Redis executor's command path, batch planner, reply decoding
 * and event subscription.
 */
@NullMarked
package io.statefulroute.redis.internal;

import org.jspecify.annotations.NullMarked;
