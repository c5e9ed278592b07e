/**
 * Internal, not API: may change. Building blocks the project's own modules share: the key
 * schema, the announcement codec, option checks.
 */
@NullMarked
package io.statefulroute.core.internal;

import org.jspecify.annotations.NullMarked;
