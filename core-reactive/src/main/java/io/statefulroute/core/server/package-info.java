/**
 * The server side: {@link io.statefulroute.core.server.ServerDriver} publishes a pod's load and
 * routing state and releases its links.
 */
@NullMarked
package io.statefulroute.core.server;

import org.jspecify.annotations.NullMarked;
