/**
 * How a new uid's pod is chosen: the {@link io.statefulroute.core.placement.PodSelector} strategies
 * and the feedback they learn from.
 */
@NullMarked
package io.statefulroute.core.placement;

import org.jspecify.annotations.NullMarked;
