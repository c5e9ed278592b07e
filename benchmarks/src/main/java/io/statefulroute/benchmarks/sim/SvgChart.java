package io.statefulroute.benchmarks.sim;

import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG: one line per series over the run's time axis, the phases shaded
 * alternately and their boundaries marked with dashed lines and labels. No script, no fonts or
 * styles from the network.
 */
final class SvgChart {
  static final String[] COLORS = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf"
  };
  private static final int WIDTH = 1200;
  private static final int HEIGHT = 300;
  private static final int LEFT = 70;
  private static final int RIGHT = 130;
  private static final int TOP = 36;
  private static final int BOTTOM = 40;

  /** One line: a name for the legend and one value per sample. */
  @SuppressWarnings("ArrayRecordComponent") // chart input: never compared or hashed
  record Series(String name, String color, double[] values) {}

  private SvgChart() {}

  /**
   * @param title shown above the plot
   * @param seconds the sample times, seconds from the start
   * @param phases the phases, for the shading and the boundaries
   * @param series the lines
   */
  static String render(
      String title,
      String yLabel,
      double[] seconds,
      List<PhaseResult> phases,
      List<Series> series) {
    double xMax = phases.isEmpty() ? 1 : phases.get(phases.size() - 1).endMillis() / 1000.0;
    double yMax = 1;
    for (Series s : series) {
      for (double v : s.values()) {
        yMax = Math.max(yMax, v);
      }
    }
    yMax = niceCeiling(yMax * 1.08); // headroom: a flat line at the maximum stays visible
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                + "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n",
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT,
            escape(title)));
    b.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"20\" class=\"title\">%s</text>%n",
            LEFT,
            escape(title)));
    // phases: shaded bands, dashed boundaries, labels
    for (int i = 0; i < phases.size(); i++) {
      PhaseResult p = phases.get(i);
      double x0 = LEFT + plotW * (p.startMillis() / 1000.0) / xMax;
      double x1 = LEFT + plotW * (p.endMillis() / 1000.0) / xMax;
      if (i % 2 == 1) {
        b.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" " + "height=\"%d\" fill=\"#f2f2f2\"/>%n",
                x0,
                TOP,
                x1 - x0,
                plotH));
      }
      if (i > 0) {
        b.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                    + "stroke=\"#555\" stroke-dasharray=\"5,4\"/>%n",
                x0,
                TOP,
                x0,
                TOP + plotH));
      }
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" class=\"phase\" " + "text-anchor=\"middle\">%s</text>%n",
              (x0 + x1) / 2,
              TOP + 14,
              escape(p.phase().label())));
    }
    // axes and grid
    for (int t = 0; t <= 4; t++) {
      double v = yMax * t / 4;
      double y = TOP + plotH - plotH * v / yMax;
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" " + "stroke=\"#ddd\"/>%n",
              LEFT,
              y,
              LEFT + plotW,
              y));
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" class=\"tick\" " + "text-anchor=\"end\">%s</text>%n",
              LEFT - 6,
              y + 4,
              TerminalReport.n(Math.round(v))));
    }
    int step = (int) Math.max(1, niceCeiling(xMax / 12));
    for (int s = 0; s <= xMax; s += step) {
      double x = LEFT + plotW * s / xMax;
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" class=\"tick\" " + "text-anchor=\"middle\">%d s</text>%n",
              x,
              TOP + plotH + 18,
              s));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                + "fill=\"none\" stroke=\"#888\"/>%n",
            LEFT,
            TOP,
            plotW,
            plotH));
    b.append(
        String.format(
            Locale.ROOT,
            "<text x=\"14\" y=\"%d\" class=\"tick\" "
                + "transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>%n",
            TOP + plotH / 2,
            TOP + plotH / 2,
            escape(yLabel)));
    // lines and legend
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      StringBuilder points = new StringBuilder();
      for (int k = 0; k < s.values().length && k < seconds.length; k++) {
        double x = LEFT + plotW * seconds[k] / xMax;
        double y = TOP + plotH - plotH * s.values()[k] / yMax;
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      b.append(
          String.format(
              Locale.ROOT,
              "<polyline fill=\"none\" stroke=\"%s\" " + "stroke-width=\"2\" points=\"%s\"/>%n",
              s.color(),
              points.toString().trim()));
      int ly = TOP + 10 + i * 20;
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                  + "stroke=\"%s\" stroke-width=\"3\"/>%n",
              LEFT + plotW + 12,
              ly,
              LEFT + plotW + 32,
              ly,
              s.color()));
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" class=\"legend\">%s</text>%n",
              LEFT + plotW + 38,
              ly + 4,
              escape(s.name())));
    }
    b.append("</svg>\n");
    return b.toString();
  }

  /** 1, 1.2, 1.5, 2, 2.5, 5 times a power of ten, at least {@code v}. */
  static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 5, 10}) {
      if (m * magnitude >= v) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
