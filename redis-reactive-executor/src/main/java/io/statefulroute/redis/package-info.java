/**
 * The Redis executor: the contract on one Redis or a Redis Cluster, through Lettuce and the Lua
 * scripts of {@code lua/}.
 */
@NullMarked
package io.statefulroute.redis;

import org.jspecify.annotations.NullMarked;
