/**
 * Internal, not API: may change. What the project's own tests share and users do not need (the
 * options completeness checks).
 */
@NullMarked
package io.statefulroute.test.internal;

import org.jspecify.annotations.NullMarked;
