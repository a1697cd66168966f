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
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

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
    List<Frontier> frontiers = Frontier.of(points);
    List<Chart> charts = new ArrayList<>();
    charts.add(accuracyVsLag(points));
    if (!frontiers.isEmpty()) {
      charts.add(frontier(frontiers, severalRuns(points)));
    }
    charts.addAll(
        List.of(
            published(points),
            learningCurve(points, false),
            learningCurve(points, true),
            toTarget(points, false),
            toTarget(points, true),
            throughput(points)));
    return charts;
  }

  /**
   * Test accuracy against lag, one line per run, variant, window and hidden size; a configuration
   * with replicates is its mean, with its 95 % interval as a bar.
   */
  static Chart accuracyVsLag(List<PointResult> points) {
    boolean runs = severalRuns(points);
    Map<String, XYSeries> lines = new LinkedHashMap<>();
    Map<String, YIntervalSeries> bars = new LinkedHashMap<>();
    XYSeries controls = new XYSeries("control: label not in the input", true, true);
    boolean replicated = false;
    for (Configuration c : Configuration.of(points)) {
      PointResult p = c.first();
      Interval accuracy = c.interval(PointResult::accuracy);
      if (p.lag() == null || accuracy.n() == 0) {
        continue;
      }
      String line = group(p, runs);
      lines
          .computeIfAbsent(line, k -> new XYSeries(k, true, true))
          .add(p.lag().doubleValue(), accuracy.mean());
      bars.computeIfAbsent(line, k -> new YIntervalSeries(k, true, true))
          .add(p.lag(), accuracy.mean(), accuracy.low(), accuracy.high());
      replicated |= accuracy.n() > 1;
      if (p.control()) {
        controls.add(p.lag().doubleValue(), accuracy.mean());
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
    if (replicated) {
      intervalBars(plot, bars.values());
    }
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
            + " at chance. The dashed line is chance (1 / values)."
            + (replicated ? REPLICATES : ""),
        chart,
        WIDTH,
        HEIGHT);
  }

  /** How the charts show replicates, for their captions. */
  static final String REPLICATES =
      " A configuration with replicates (points that differ only in their seed) is drawn at its"
          + " mean, its bar the 95 % confidence interval of the mean (Student's t).";

  /**
   * The largest lag each frontier search reached against the hidden size, one line per run, variant
   * and window; over several seeds, the mean with its 95 % interval as a bar.
   */
  static Chart frontier(List<Frontier> frontiers, boolean runs) {
    Map<String, XYSeries> lines = new LinkedHashMap<>();
    Map<String, YIntervalSeries> bars = new LinkedHashMap<>();
    boolean replicated = false;
    List<String> none = new ArrayList<>();
    for (Frontier f : frontiers) {
      PointResult p = f.first();
      Interval reached = f.reached();
      String line =
          (runs ? "run " + p.runId() + ", " : "")
              + (p.variant() == null ? "" : p.variant() + ", ")
              + "window "
              + p.window();
      if (p.hidden() == null || reached.n() == 0) {
        none.add(line + ", hidden " + p.hidden());
        continue;
      }
      lines
          .computeIfAbsent(line, k -> new XYSeries(k, true, true))
          .add(p.hidden().doubleValue(), reached.mean());
      bars.computeIfAbsent(line, k -> new YIntervalSeries(k, true, true))
          .add(p.hidden().doubleValue(), reached.mean(), reached.low(), reached.high());
      replicated |= reached.n() > 1;
    }
    XYSeriesCollection data = new XYSeriesCollection();
    lines.values().forEach(data::addSeries);
    JFreeChart chart = lineChart("hidden size (LSTM units)", "largest lag reached", data);
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(lineRenderer(data.getSeriesCount()));
    plot.setNoDataMessage("no frontier search reached a lag");
    if (replicated) {
      intervalBars(plot, bars.values());
    }
    integerAxis(plot);
    NumberAxis y = (NumberAxis) plot.getRangeAxis();
    y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    y.setAutoRangeIncludesZero(true);
    if (!none.isEmpty()) {
      chart.addSubtitle(
          new TextTitle(
              "no lag reached: " + abbreviate(none, 12), new Font("SansSerif", Font.PLAIN, 12)));
    }
    style(chart);
    return new Chart(
        "frontier-vs-hidden.png",
        "Lag frontier against hidden size",
        "The largest lag whose point reached its train.target-accuracy on validation, as each"
            + " frontier search (sweep.lag-search=frontier) found it, against the hidden size: one"
            + " line per "
            + (runs ? "run, " : "")
            + "variant and window. A stateless window W cannot reach beyond lag W − 1."
            + (replicated
                ? " With several seeds, each a search of its own, the line is their mean and the"
                    + " bar its 95 % confidence interval (Student's t)."
                : "")
            + " Searches that reached no lag are listed under the title.",
        chart,
        WIDTH,
        HEIGHT);
  }

  /**
   * Adds interval bars to {@code plot} as its second dataset, in the colours of its lines (series
   * in the same order), left out of the legend.
   */
  private static void intervalBars(XYPlot plot, java.util.Collection<YIntervalSeries> series) {
    YIntervalSeriesCollection intervals = new YIntervalSeriesCollection();
    series.forEach(intervals::addSeries);
    XYErrorRenderer bars = new XYErrorRenderer();
    bars.setDefaultLinesVisible(false);
    bars.setDefaultShapesVisible(false);
    bars.setDrawXError(false);
    bars.setCapLength(8);
    bars.setErrorStroke(new BasicStroke(1.5f));
    bars.setDefaultSeriesVisibleInLegend(false);
    for (int i = 0; i < intervals.getSeriesCount(); i++) {
      bars.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    }
    plot.setDataset(1, intervals);
    plot.setRenderer(1, bars);
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

  /**
   * Training windows (or seconds) to target against lag; a configuration with replicates is the
   * mean over those that reached it, with its 95 % interval as a bar.
   */
  static Chart toTarget(List<PointResult> points, boolean seconds) {
    boolean runs = severalRuns(points);
    Map<String, XYSeries> lines = new LinkedHashMap<>();
    Map<String, YIntervalSeries> bars = new LinkedHashMap<>();
    List<String> missed = new ArrayList<>();
    List<String> partly = new ArrayList<>();
    Set<String> targets = new TreeSet<>();
    boolean replicated = false;
    for (Configuration c : Configuration.of(points)) {
      PointResult p = c.first();
      if (p.lag() == null) {
        continue;
      }
      List<Number> reached = new ArrayList<>();
      for (PointResult replicate : c.points()) {
        Reach r = reach(replicate);
        Number y = r == null ? null : seconds ? r.seconds() : r.windows();
        if (y != null) {
          reached.add(y);
          targets.add(percent(r.target()));
        }
      }
      Interval y = Interval.of(reached);
      String name = pointName(p, false) + (c.n() > 1 ? " (" + c.n() + " seeds)" : "");
      if (y.n() == 0) {
        missed.add(name);
        continue;
      }
      if (y.n() < c.n()) {
        partly.add(pointName(p, false) + " (" + y.n() + " of " + c.n() + " seeds)");
      }
      String line = group(p, runs);
      lines
          .computeIfAbsent(line, k -> new XYSeries(k, true, true))
          .add(p.lag().doubleValue(), y.mean());
      bars.computeIfAbsent(line, k -> new YIntervalSeries(k, true, true))
          .add(p.lag(), y.mean(), y.low(), y.high());
      replicated |= y.n() > 1;
    }
    XYSeriesCollection data = new XYSeriesCollection();
    lines.values().forEach(data::addSeries);
    JFreeChart chart =
        lineChart(
            "lag", seconds ? "training seconds to target" : "training windows to target", data);
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(lineRenderer(data.getSeriesCount()));
    plot.setNoDataMessage("no point reached its target");
    if (replicated) {
      intervalBars(plot, bars.values());
    }
    integerAxis(plot);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
    if (!missed.isEmpty()) {
      chart.addSubtitle(
          new TextTitle(
              "never reached: " + abbreviate(missed, 12), new Font("SansSerif", Font.PLAIN, 12)));
    }
    if (!partly.isEmpty()) {
      chart.addSubtitle(
          new TextTitle(
              "reached by some seeds only: " + abbreviate(partly, 12),
              new Font("SansSerif", Font.PLAIN, 12)));
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
            + " title."
            + (replicated
                ? REPLICATES.replace("at its mean", "at the mean of the replicates that reached it")
                : ""),
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

  /**
   * The tutorial's published accuracies beside the measured ones; a measured configuration with
   * replicates is its mean, with its 95 % interval as an error bar.
   */
  static Chart published(List<PointResult> points) {
    boolean runs = severalRuns(points);
    DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
    String pub = "published by the tutorial";
    String meas = "measured (test accuracy)";
    Map<String, Integer> names = new LinkedHashMap<>();
    boolean replicated = false;
    for (Published.Finding f : Published.FINDINGS) {
      List<Configuration> measured = Configuration.of(Published.measured(f, points));
      if (measured.isEmpty()) {
        String column = unique(names, f.name() + " (" + f.setup() + "): not in this report");
        data.add(f.accuracy(), null, pub, column);
        data.add(null, null, meas, column);
      }
      for (Configuration c : measured) {
        PointResult p = c.first();
        Interval accuracy = c.interval(PointResult::accuracy);
        String column =
            unique(
                names,
                f.name()
                    + " ("
                    + f.setup()
                    + (measured.size() > 1 || runs
                        ? ", hidden " + p.hidden() + (runs ? ", run " + p.runId() : "")
                        : "")
                    + (c.n() > 1 ? ", " + c.n() + " seeds" : "")
                    + ")");
        data.add(f.accuracy(), null, pub, column);
        data.add(
            accuracy.n() == 0 ? null : accuracy.mean(),
            Double.isNaN(accuracy.halfWidth()) ? null : accuracy.halfWidth(),
            meas,
            column);
        replicated |= accuracy.n() > 1;
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            null, null, "accuracy", data, PlotOrientation.VERTICAL, true, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    StatisticalBarRenderer renderer = new StatisticalBarRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.05);
    renderer.setErrorIndicatorPaint(GUIDE);
    renderer.setErrorIndicatorStroke(new BasicStroke(1.5f));
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
            + " has no blue bar."
            + (replicated
                ? " A configuration with replicates (points that differ only in their seed) is"
                    + " its mean, the black bar its 95 % confidence interval (Student's t)."
                : ""),
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
