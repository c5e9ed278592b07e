package io.statefulroute.observability.admin;

import io.statefulroute.core.PodState;
import io.statefulroute.core.state.ServiceView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON body of {@code /routes/{ns}/{svc}}: a service's pod table with its sets. */
final class RouteTable {
  private RouteTable() {}

  /**
   * @param source {@code cache} (the state cache's view) or {@code store} (read now)
   * @param viewAgeMillis how old the view is on the local clock
   */
  static Map<String, Object> of(ServiceView view, String source, long viewAgeMillis) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("namespace", view.namespace());
    m.put("service", view.service());
    m.put("source", source);
    m.put("serverTimeMillis", view.serverTimeMillis());
    m.put("viewAgeMillis", viewAgeMillis);
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("pods", view.pods().size());
    counts.put("fresh", view.freshCount());
    counts.put("routable", view.routableCount());
    counts.put("available", view.availableCount());
    counts.put("good", view.goodPods().size());
    m.put("counts", counts);
    m.put("cordoned", view.cordoned().stream().sorted().toList());
    List<Object> pods = new ArrayList<>();
    for (PodState p : view.pods().values()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("pod", p.pod());
      row.put("load", p.load());
      row.put("routingState", p.state().name());
      row.put("ageMillis", p.ageMillis(view.serverTimeMillis()));
      row.put("incarnation", p.incarnation());
      List<String> sets = new ArrayList<>();
      if (view.isFresh(p.pod())) {
        sets.add("fresh");
      }
      if (view.isRoutable(p.pod())) {
        sets.add("routable");
      }
      if (view.isAvailable(p.pod())) {
        sets.add("available");
      }
      if (view.goodPods().contains(p)) {
        sets.add("good");
      }
      if (view.isCordoned(p.pod())) {
        sets.add("cordoned"); // by an operator: not available, whatever the pod publishes
      }
      row.put("sets", sets);
      pods.add(row);
    }
    m.put("pods", pods);
    return m;
  }
}
