/**
 * The client's shared, cached view of every pod's published state ({@link
 * io.statefulroute.core.state.ServiceStateCache}).
 */
@NullMarked
package io.statefulroute.core.state;

import org.jspecify.annotations.NullMarked;
