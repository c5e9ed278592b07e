/**
 * Rebalancing after scale-out and recovery (see docs/rebalancing.md): one {@link
 * io.statefulroute.core.rebalance.Rebalancer} per service, elected through a lease in the store,
 * computes per-pod targets from the published loads and asks over-target pods to shed links, within
 * throttles; the pods choose which idle uids to release.
 */
@NullMarked
package io.statefulroute.core.rebalance;

import org.jspecify.annotations.NullMarked;
