/** The admin endpoint: routes, links, health and the analysis over HTTP. */
@NullMarked
package io.statefulroute.observability.admin;

import org.jspecify.annotations.NullMarked;
