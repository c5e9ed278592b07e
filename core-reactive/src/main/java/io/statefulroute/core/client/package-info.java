/**
 * The client side: {@link io.statefulroute.core.client.ClientDriver} computes, caches and reuses
 * the pod of a uid, placing new uids on healthy pods.
 */
@NullMarked
package io.statefulroute.core.client;

import org.jspecify.annotations.NullMarked;
