package io.echolstm.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's charts, built from the picked rows. */
final class Charts {
  /**
   * The validation accuracy "to target" means when a point was trained with no target (the
   * tutorial's own runs set none).
   */
  static final double DEFAULT_TARGET = 0.99;

  static final int WIDTH = 960;
  static final int HEIGHT = 540;

  private static final Color CONTROL = new Color(0xD6, 0x27, 0x28);

  /** Tableau's ten colours without the red, which marks the controls. */
  private static final Color[] PALETTE = {
    new Color(0x1F77B4),
    new Color(0xFF7F0E),
    new Color(0x2CA02C),
    new Color(0x94, 0x67, 0xBD),
    new Color(0x8C564B),
    new Color(0xE377C2),
    new Color(0x7F7F7F),
    new Color(0xBCBD22),
    new Color(0x17BECF),
  };

  private static final Color GUIDE = new Color(0x55, 0x55, 0x55);
  private static final Color PUBLISHED = new Color(0x9E, 0x9E, 0x9E);
  private static final Color MEASURED = new Color(0x1F, 0x77, 0xB4);
  private static final BasicStroke LINE = new BasicStroke(2f);
  private static final BasicStroke DASHED =
      new BasicStroke(
          1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

  private Charts() {}

  /** Every chart of the report, in page order. */
  static List<Chart> all(List<PointResult> points) {
    return List.of(
        accuracyVsLag(points),
        published(points),
        learningCurve(points, false),
        learningCurve(points, true),
        toTarget(points, false),
        toTarget(points, true),
        throughput(points));
  }

  /** Test accuracy against lag, one line per run, variant, window and hidden size. */
  static Chart accuracyVsLag(List<PointResult> points) {
    boolean runs = severalRuns(points);
    Map<String, XYSeries> lines = new LinkedHashMap<>();
    XYSeries controls = new XYSeries("control: label not in the input", true, true);
    for (PointResult p : points) {
      if (p.lag() == null || p.accuracy() == null) {
        continue;
      }
      lines
          .computeIfAbsent(group(p, runs), k -> new XYSeries(k, true, true))
          .add(p.lag(), p.accuracy());
      if (p.control()) {
        controls.add(p.lag(), p.accuracy());
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    lines.values().forEach(data::addSeries);
    data.addSeries(controls);
    JFreeChart chart = lineChart("lag", "test accuracy", data);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = lineRenderer(data.getSeriesCount());
    int c = data.getSeriesCount() - 1;
    renderer.setSeriesLinesVisible(c, false);
    renderer.setSeriesShape(c, ShapeUtils.createDiagonalCross(7f, 1.5f));
    renderer.setSeriesPaint(c, CONTROL);
    renderer.setSeriesShapesFilled(c, true);
    plot.setRenderer(renderer);
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
    integerAxis(plot);
    fraction(plot);
    chanceMarkers(plot, points, false);
    style(chart);
    return new Chart(
        "accuracy-vs-lag.png",
        "Accuracy (test) against lag",
        "One line per "
            + (runs ? "run, " : "")
            + "variant, window and hidden size. Red crosses are controls: points whose label is"
            + " not in the model's input (lag ≥ window), kept in the sweep to show that they stay"
            + " at chance. The dashed line is chance (1 / values).",
        chart,
        WIDTH,
        HEIGHT);
  }

  /** Validation accuracy or loss from the {@code history} column, one curve per point. */
  static Chart learningCurve(List<PointResult> points, boolean loss) {
    boolean runs = severalRuns(points);
    XYSeriesCollection data = new XYSeriesCollection();
    List<Boolean> control = new ArrayList<>();
    Map<String, Integer> names = new LinkedHashMap<>();
    for (PointResult p : points) {
      XYSeries s = new XYSeries(unique(names, pointName(p, runs)), true, true);
      for (PointResult.Evaluation e : p.history()) {
        Double y = loss ? e.loss() : e.accuracy();
        if (e.trainWindows() != null && y != null) {
          s.add(e.trainWindows().doubleValue(), y);
        }
      }
      if (s.getItemCount() > 0) {
        data.addSeries(s);
        control.add(p.control());
      }
    }
    JFreeChart chart =
        lineChart(
            "training windows",
            loss ? "validation loss (cross-entropy)" : "validation accuracy",
            data);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = lineRenderer(data.getSeriesCount());
    for (int i = 0; i < control.size(); i++) {
      if (control.get(i)) {
        renderer.setSeriesStroke(i, DASHED);
      }
    }
    plot.setRenderer(renderer);
    plot.setNoDataMessage("no history in these rows");
    ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(true);
    if (loss) {
      chanceMarkers(plot, points, true);
    } else {
      fraction(plot);
      chanceMarkers(plot, points, false);
    }
    style(chart);
    return new Chart(
        loss ? "learning-loss.png" : "learning-accuracy.png",
        loss ? "Learning curves: validation loss" : "Learning curves: validation accuracy",
        "Every validation evaluation of each point during training (the history column), against"
            + " the training windows fitted so far. Controls are dashed. "
            + (loss
                ? "The dashed horizontal line is the loss of a uniform guess, ln(values): a"
                    + " point that learned nothing stays there."
                : "The dashed horizontal line is chance (1 / values)."),
        chart,
        WIDTH,
        HEIGHT);
  }

  /** When a point first reached its target on validation: training windows and seconds. */
  record Reach(double target, Long windows, Double seconds) {}

  /**
   * The point's {@code windows_to_target} and {@code seconds_to_target} when it recorded them, else
   * the first validation evaluation in its history at or above its target accuracy ({@link
   * #DEFAULT_TARGET} when it had none), on reachable labels when it has them; null if never.
   */
  static Reach reach(PointResult p) {
    double target = p.targetAccuracy() == null ? DEFAULT_TARGET : p.targetAccuracy();
    if (p.windowsToTarget() != null) {
      return new Reach(target, p.windowsToTarget(), p.secondsToTarget());
    }
    for (PointResult.Evaluation e : p.history()) {
      Double acc = e.reachableAccuracy() != null ? e.reachableAccuracy() : e.accuracy();
      if (acc != null && acc >= target && e.trainWindows() != null) {
        return new Reach(target, e.trainWindows(), e.trainSeconds());
      }
    }
    return null;
  }

  /** Training windows (or seconds) to target against lag. */
  static Chart toTarget(List<PointResult> points, boolean seconds) {
    boolean runs = severalRuns(points);
    Map<String, XYSeries> lines = new LinkedHashMap<>();
    List<String> missed = new ArrayList<>();
    Set<String> targets = new TreeSet<>();
    for (PointResult p : points) {
      if (p.lag() == null) {
        continue;
      }
      Reach r = reach(p);
      Number y = r == null ? null : seconds ? r.seconds() : r.windows();
      if (y == null) {
        missed.add(pointName(p, false));
        continue;
      }
      targets.add(percent(r.target()));
      lines
          .computeIfAbsent(group(p, runs), k -> new XYSeries(k, true, true))
          .add(p.lag().doubleValue(), y.doubleValue());
    }
    XYSeriesCollection data = new XYSeriesCollection();
    lines.values().forEach(data::addSeries);
    JFreeChart chart =
        lineChart(
            "lag", seconds ? "training seconds to target" : "training windows to target", data);
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(lineRenderer(data.getSeriesCount()));
    plot.setNoDataMessage("no point reached its target");
    integerAxis(plot);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
    if (!missed.isEmpty()) {
      chart.addSubtitle(
          new TextTitle(
              "never reached: " + abbreviate(missed, 12), new Font("SansSerif", Font.PLAIN, 12)));
    }
    style(chart);
    return new Chart(
        seconds ? "seconds-to-target.png" : "windows-to-target.png",
        seconds
            ? "Training seconds to target against lag"
            : "Training windows to target against lag",
        "When each point's validation accuracy (on reachable labels) first reached "
            + (targets.isEmpty() ? "its target" : String.join(" / ", targets))
            + ": its train.target-accuracy, or "
            + percent(DEFAULT_TARGET)
            + " when it was trained without one (read from its history, so to the nearest"
            + " evaluation). Points that never reached it are left out and listed under the"
            + " title.",
        chart,
        WIDTH,
        HEIGHT);
  }

  /** Training throughput of every point. */
  static Chart throughput(List<PointResult> points) {
    boolean runs = severalRuns(points);
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    Map<String, Integer> names = new LinkedHashMap<>();
    for (PointResult p : points) {
      if (p.windowsPerSecond() != null) {
        String name = (p.experiment() == null ? "" : p.experiment() + ": ") + pointName(p, runs);
        data.addValue(p.windowsPerSecond(), "training windows per second", unique(names, name));
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            null,
            null,
            "training windows per second",
            data,
            PlotOrientation.HORIZONTAL,
            false,
            false,
            false);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setNoDataMessage("no throughput in these rows");
    BarRenderer renderer = barRenderer();
    renderer.setSeriesPaint(0, MEASURED);
    renderer.setDefaultItemLabelGenerator(
        new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("#,##0")));
    renderer.setDefaultItemLabelsVisible(true);
    plot.setRenderer(renderer);
    renderer.setDefaultPositiveItemLabelPosition(
        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
    plot.getRangeAxis().setUpperMargin(0.15);
    plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.5f);
    style(chart);
    return new Chart(
        "throughput.png",
        "Throughput per point",
        "Training windows fitted per second of training (the windows_per_second column: training"
            + " windows × epochs over the fit time, evaluation excluded).",
        chart,
        WIDTH,
        Math.max(260, 120 + 30 * data.getColumnCount()));
  }

  /** The tutorial's published accuracies beside the measured ones. */
  static Chart published(List<PointResult> points) {
    boolean runs = severalRuns(points);
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    String pub = "published by the tutorial";
    String meas = "measured (test accuracy)";
    Map<String, Integer> names = new LinkedHashMap<>();
    for (Published.Finding f : Published.FINDINGS) {
      List<PointResult> measured = Published.measured(f, points);
      if (measured.isEmpty()) {
        String column = unique(names, f.name() + " (" + f.setup() + "): not in this report");
        data.addValue(f.accuracy(), pub, column);
        data.addValue(null, meas, column);
      }
      for (PointResult p : measured) {
        String column =
            unique(
                names,
                f.name()
                    + " ("
                    + f.setup()
                    + (measured.size() > 1 || runs
                        ? ", hidden " + p.hidden() + (runs ? ", run " + p.runId() : "")
                        : "")
                    + ")");
        data.addValue(f.accuracy(), pub, column);
        data.addValue(p.accuracy(), meas, column);
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            null, null, "accuracy", data, PlotOrientation.VERTICAL, true, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    BarRenderer renderer = barRenderer();
    renderer.setSeriesPaint(0, PUBLISHED);
    renderer.setSeriesPaint(1, MEASURED);
    NumberFormat pct = NumberFormat.getPercentInstance(Locale.ROOT);
    pct.setMaximumFractionDigits(1);
    renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", pct));
    renderer.setDefaultItemLabelsVisible(true);
    plot.setRenderer(renderer);
    NumberAxis range = (NumberAxis) plot.getRangeAxis();
    range.setRange(0, 1.1);
    range.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(0.1));
    range.setNumberFormatOverride(pct);
    CategoryAxis domain = plot.getDomainAxis();
    domain.setMaximumCategoryLabelLines(4);
    Double chance = commonChance(points);
    if (chance != null) {
      plot.addRangeMarker(marker(chance, "chance " + percent(chance)));
    }
    style(chart);
    return new Chart(
        "published.png",
        "The tutorial's published outcomes beside the measured ones",
        "Grey: the accuracy the tutorial published for each of its setups (integers 0..99);"
            + " blue: the test accuracy of the reported points with that variant (stateless), lag"
            + " and window, whatever their other settings. A setup the reported runs did not train"
            + " has no blue bar.",
        chart,
        WIDTH,
        HEIGHT);
  }

  // --- helpers ----------------------------------------------------------------------------

  static boolean severalRuns(List<PointResult> points) {
    return points.stream().map(PointResult::runId).distinct().count() > 1;
  }

  /** The line a point belongs to in the "against lag" charts. */
  static String group(PointResult p, boolean runs) {
    return (runs ? "run " + p.runId() + ", " : "")
        + (p.variant() == null ? "" : p.variant() + ", ")
        + "window "
        + p.window()
        + ", hidden "
        + p.hidden();
  }

  private static String pointName(PointResult p, boolean runs) {
    return (runs ? "run " + p.runId() + ": " : "") + p.label() + (p.control() ? " (control)" : "");
  }

  /** A series or category key not used before (a repeated one gets " #2", " #3"...). */
  private static String unique(Map<String, Integer> used, String name) {
    int n = used.merge(name, 1, Integer::sum);
    return n == 1 ? name : name + " #" + n;
  }

  /**
   * Lines with hollow markers of a different shape and colour per series, so that points of
   * different series at the same place stay visible.
   */
  /** A vertical line chart with a legend, no title, tooltips or links. */
  private static JFreeChart lineChart(String xLabel, String yLabel, XYSeriesCollection data) {
    return ChartFactory.createXYLineChart(
        null, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
  }

  private static XYLineAndShapeRenderer lineRenderer(int series) {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    Shape[] shapes = {
      new java.awt.geom.Ellipse2D.Double(-5, -5, 10, 10),
      new java.awt.geom.Rectangle2D.Double(-4, -4, 8, 8),
      ShapeUtils.createUpTriangle(5.5f),
      ShapeUtils.createDiamond(5.5f),
      ShapeUtils.createDownTriangle(5.5f),
      new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6),
    };
    for (int i = 0; i < series; i++) {
      r.setSeriesStroke(i, LINE);
      r.setSeriesShape(i, shapes[i % shapes.length]);
      r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      r.setSeriesShapesFilled(i, false);
    }
    r.setUseOutlinePaint(false);
    r.setDrawOutlines(true);
    return r;
  }

  private static BarRenderer barRenderer() {
    BarRenderer r = new BarRenderer();
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    r.setItemMargin(0.05);
    return r;
  }

  private static void integerAxis(XYPlot plot) {
    NumberAxis x = (NumberAxis) plot.getDomainAxis();
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    // lag 0 is data, not an axis origin: keep a margin so its markers are not cut in half
    x.setAutoRangeIncludesZero(false);
    x.setAutoRangeStickyZero(false);
    x.setLowerMargin(0.05);
    x.setUpperMargin(0.05);
  }

  private static void fraction(XYPlot plot) {
    NumberAxis y = (NumberAxis) plot.getRangeAxis();
    y.setRange(-0.02, 1.05);
    y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(0.1));
  }

  /** Dashed lines at chance accuracy (or at the loss of a uniform guess, ln values). */
  private static void chanceMarkers(XYPlot plot, List<PointResult> points, boolean loss) {
    Set<Double> levels = new TreeSet<>();
    for (PointResult p : points) {
      Double chance = p.chance();
      if (chance != null && chance > 0) {
        levels.add(loss ? Math.log(1 / chance) : chance);
      }
    }
    for (double level : levels) {
      String label =
          loss
              ? String.format(
                  Locale.ROOT, "uniform guess: ln %d = %.2f", Math.round(Math.exp(level)), level)
              : "chance " + percent(level);
      plot.addRangeMarker(marker(level, label));
    }
  }

  private static ValueMarker marker(double value, String label) {
    ValueMarker m = new ValueMarker(value, GUIDE, DASHED);
    m.setLabel(label);
    m.setLabelFont(new Font("SansSerif", Font.PLAIN, 12));
    m.setLabelPaint(GUIDE);
    m.setLabelBackgroundColor(new Color(255, 255, 255, 200));
    m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
    m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
    return m;
  }

  private static Double commonChance(List<PointResult> points) {
    Set<Double> levels = new TreeSet<>();
    points.stream().map(PointResult::chance).filter(c -> c != null).forEach(levels::add);
    return levels.size() == 1 ? levels.iterator().next() : null;
  }

  static String percent(double fraction) {
    String s = String.format(Locale.ROOT, "%.1f", fraction * 100).replaceAll("\\.0$", "");
    return s + " %";
  }

  private static String abbreviate(List<String> items, int max) {
    return String.join(", ", items.subList(0, Math.min(max, items.size())))
        + (items.size() > max ? " and " + (items.size() - max) + " more" : "");
  }

  private static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    var plot = chart.getPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlinePaint(new Color(0xCC, 0xCC, 0xCC));
    if (plot instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(new Color(0xE0, 0xE0, 0xE0));
      xy.setRangeGridlinePaint(new Color(0xE0, 0xE0, 0xE0));
    } else if (plot instanceof CategoryPlot cat) {
      cat.setRangeGridlinePaint(new Color(0xE0, 0xE0, 0xE0));
    }
    if (chart.getLegend() != null) {
      chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
    }
  }
}
