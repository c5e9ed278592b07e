package io.statefulroute.benchmarks.sim;

import io.statefulroute.observability.analysis.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTML report: one self-contained page (inline CSS and SVG, nothing fetched) with the terminal
 * report, four charts over time (links per pod, load per pod, the balance as the CV of load and of
 * links over READY pods, requests and errors per second, each with the phase boundaries marked) and
 * a table of the performance analyzer's findings.
 */
final class HtmlReport {
  private HtmlReport() {}

  static String render(SimulationResult r) {
    List<Sample> samples = r.samples();
    double[] seconds = new double[samples.size()];
    for (int i = 0; i < seconds.length; i++) {
      seconds[i] = samples.get(i).atMillis() / 1000.0;
    }
    List<SvgChart.Series> links = new ArrayList<>();
    List<SvgChart.Series> load = new ArrayList<>();
    for (int pod = 0; pod < r.podSlots(); pod++) {
      double[] l = new double[samples.size()];
      double[] w = new double[samples.size()];
      for (int i = 0; i < l.length; i++) {
        l[i] = samples.get(i).links()[pod];
        w[i] = samples.get(i).load()[pod];
      }
      String color = SvgChart.COLORS[pod % SvgChart.COLORS.length];
      links.add(new SvgChart.Series("pod " + pod, color, l));
      load.add(new SvgChart.Series("pod " + pod, color, w));
    }
    double[] requests = new double[samples.size()];
    double[] errors = new double[samples.size()];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = samples.get(i).requests();
      errors[i] = samples.get(i).errors();
    }
    double[] cvLoad = new double[samples.size()];
    double[] cvLinks = new double[samples.size()];
    for (int i = 0; i < cvLoad.length; i++) {
      cvLoad[i] = samples.get(i).cvOverReady(samples.get(i).load());
      cvLinks[i] = samples.get(i).cvOverReady(samples.get(i).links());
    }
    List<SvgChart.Series> balance =
        List.of(
            new SvgChart.Series("CV load", "#1f77b4", cvLoad),
            new SvgChart.Series("CV links", "#ff7f0e", cvLinks));
    List<SvgChart.Series> traffic =
        List.of(
            new SvgChart.Series("requests", "#1f77b4", requests),
            new SvgChart.Series("errors", "#d62728", errors));

    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>stateful-route simulation</title>\n<style>\n")
        .append("body { font-family: sans-serif; margin: 24px; color: #222; }\n")
        .append("h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }\n")
        .append("pre { background: #f7f7f7; padding: 12px; font-size: 12px; overflow-x: auto; }\n")
        .append("svg { display: block; margin: 8px 0 20px; }\n")
        .append("svg text { font-family: sans-serif; }\n")
        .append("svg .title { font-size: 15px; font-weight: bold; }\n")
        .append("svg .phase { font-size: 12px; fill: #444; }\n")
        .append("svg .tick, svg .legend { font-size: 12px; fill: #333; }\n")
        .append("table { border-collapse: collapse; font-size: 13px; }\n")
        .append("th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; ")
        .append("vertical-align: top; }\n")
        .append(".CRITICAL { color: #b00; font-weight: bold; } .WARNING { color: #a60; }\n")
        .append("</style>\n</head>\n<body>\n")
        .append("<h1>stateful-route simulation</h1>\n")
        .append("<p>Links are uids the store links to each pod; load is what each pod publishes ")
        .append("(sessions active in the last ")
        .append(SimPod.SESSION_IDLE.toSeconds())
        .append(" s). Dashed lines mark the phase boundaries.</p>\n");
    b.append(SvgChart.render("Links per pod", "links", seconds, r.phases(), links));
    b.append(SvgChart.render("Load per pod (published)", "load", seconds, r.phases(), load));
    b.append(
        SvgChart.render(
            "Balance over READY pods (coefficient of variation; rebalancing after the join: "
                + TerminalReport.n(r.rebalance().movesToBalance())
                + " moves)",
            "CV",
            seconds,
            r.phases(),
            balance));
    b.append(
        SvgChart.render(
            "Requests and errors per second", "per second", seconds, r.phases(), traffic));
    analysis(b, r);
    b.append("<h2>Report</h2>\n<pre>")
        .append(SvgChart.escape(TerminalReport.render(r, true)))
        .append("</pre>\n</body>\n</html>\n");
    return b.toString();
  }

  private static void analysis(StringBuilder b, SimulationResult r) {
    List<Finding> findings = r.analysis().findings();
    b.append("<h2>Performance analysis</h2>\n<p>The analyzer's ")
        .append(r.analysis().rules().size())
        .append(" rules over the run's meters at its end (what <code>GET /analysis</code> of the ")
        .append("admin endpoint serves during a run): ")
        .append(
            findings.isEmpty()
                ? "no findings."
                : findings.size() + " finding" + (findings.size() == 1 ? "." : "s."))
        .append("</p>\n");
    if (findings.isEmpty() && r.analysis().failures().isEmpty()) {
      return;
    }
    b.append("<table>\n<tr><th>severity</th><th>rule</th><th>subject</th><th>measured</th>")
        .append("<th>threshold</th><th>finding</th><th>suggestion</th></tr>\n");
    for (Finding f : findings) {
      b.append("<tr><td class=\"")
          .append(f.severity())
          .append("\">")
          .append(f.severity())
          .append("</td><td>")
          .append(SvgChart.escape(f.rule()))
          .append("</td><td>")
          .append(SvgChart.escape(f.subject()))
          .append("</td><td>")
          .append(TerminalReport.figure(f.measured()))
          .append(' ')
          .append(SvgChart.escape(f.unit()))
          .append("</td><td>")
          .append(TerminalReport.figure(f.threshold()))
          .append(' ')
          .append(SvgChart.escape(f.unit()))
          .append("</td><td>")
          .append(SvgChart.escape(f.message()))
          .append("</td><td>")
          .append(SvgChart.escape(f.suggestion()))
          .append("</td></tr>\n");
    }
    for (String failure : r.analysis().failures()) {
      b.append("<tr><td>RULE FAILED</td><td colspan=\"6\">")
          .append(SvgChart.escape(failure))
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
  }
}
