package io.statefulroute.observability.admin;

import io.statefulroute.core.rebalance.RebalancePlan;
import io.statefulroute.core.rebalance.RebalanceReport;
import io.statefulroute.core.rebalance.Rebalancer;
import io.statefulroute.core.rebalance.RebalancerOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON of {@code GET /rebalance/{ns}/{svc}}: each configured rebalancer of the service, its
 * counters and its last cycle (lease, the loads it planned on, the mean, the moves needed and the
 * links asked of each pod).
 */
final class RebalanceTable {
  private RebalanceTable() {}

  static Map<String, Object> of(String ns, String service, List<Rebalancer> rebalancers) {
    List<Object> rows = new ArrayList<>();
    for (Rebalancer r : rebalancers) {
      RebalancerOptions o = r.options();
      if (!o.namespace().equals(ns) || !o.service().equals(service)) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("owner", o.owner());
      row.put("periodMs", o.period().toMillis());
      row.put("maxMovesPerSecond", o.maxMovesPerSecond());
      row.put("maxShedRatio", o.maxShedRatio());
      row.put("cycles", r.cycles());
      row.put("cyclesLed", r.cyclesLed());
      row.put("requested", r.requested());
      row.put("failures", r.failures());
      RebalanceReport last = r.lastReport();
      if (last != null) {
        Map<String, Object> cycle = new LinkedHashMap<>();
        cycle.put("atMillis", last.atMillis());
        cycle.put("lease", last.lease() == null ? null : last.lease().name());
        cycle.put("loads", new TreeMap<>(last.loads()));
        RebalancePlan plan = last.plan();
        if (plan != null) {
          cycle.put("mean", Math.round(plan.mean() * 10) / 10.0);
          cycle.put("needed", plan.needed());
          cycle.put("shed", new TreeMap<>(plan.shed()));
        }
        cycle.put("error", last.error());
        row.put("last", cycle);
      }
      rows.add(row);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("namespace", ns);
    m.put("service", service);
    m.put("rebalancers", rows);
    return m;
  }
}
