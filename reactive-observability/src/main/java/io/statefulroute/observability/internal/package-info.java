/** Internal, not API: may change. */
@NullMarked
package io.statefulroute.observability.internal;

import org.jspecify.annotations.NullMarked;
