/** Internal, not API: may change. What the drivers of core share and nothing else uses. */
@NullMarked
package io.statefulroute.core.internal;

import org.jspecify.annotations.NullMarked;
