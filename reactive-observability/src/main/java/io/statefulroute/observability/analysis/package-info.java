/** The performance analyzer: rules over meter readings that report findings. */
@NullMarked
package io.statefulroute.observability.analysis;

import org.jspecify.annotations.NullMarked;
