package io.echolstm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.statistics.StatisticalCategoryDataset;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;

/**
 * The report with replicates (points that differ only in their seed) and frontier searches: means
 * with their intervals in the charts and tables; with one seed, the page as before.
 */
class ReplicatesReportTest {
  /** The tutorial's points, each trained under seeds 1-3, test accuracies spread around it. */
  private static List<PointResult> replicated() {
    List<PointResult> out = new ArrayList<>();
    for (PointResult p : Points.tutorial("r1")) {
      for (long seed = 1; seed <= 3; seed++) {
        // 1, 2, 3 hundredths below: mean 0.02 below, half-width 2.484138 hundredths (IntervalTest)
        double accuracy = p.accuracy() - seed / 100.0;
        out.add(Points.seed(p, seed, accuracy));
      }
    }
    return out;
  }

  @Test
  void accuracyAgainstLagDrawsMeansWithIntervalBars() {
    XYPlot plot = Charts.accuracyVsLag(replicated()).chart().getXYPlot();
    XYSeriesCollection means = (XYSeriesCollection) plot.getDataset(0);
    // the lines of one seed's chart: window 1 (two hidden sizes) and window 5, and the controls
    assertEquals(4, means.getSeriesCount());
    assertEquals("stateless, window 5, hidden 50", means.getSeriesKey(2));
    assertEquals(1.0 - 0.02, means.getSeries(2).getY(0).doubleValue(), 1e-12);
    YIntervalSeriesCollection bars = (YIntervalSeriesCollection) plot.getDataset(1);
    assertEquals(3, bars.getSeriesCount(), "a bar series per line, none for the controls");
    assertEquals(1.0 - 0.02 - 0.02484138, bars.getStartYValue(2, 0), 1e-8);
    assertEquals(1.0 - 0.02 + 0.02484138, bars.getEndYValue(2, 0), 1e-8);
    assertTrue(Charts.accuracyVsLag(replicated()).caption().contains("95 % confidence interval"));

    // One seed: no bars, and the caption as before.
    Chart single = Charts.accuracyVsLag(Points.tutorial("r1"));
    assertNull(single.chart().getXYPlot().getDataset(1));
    assertFalse(single.caption().contains("confidence"));
  }

  @Test
  void publishedBarsCarryTheirIntervals() {
    StatisticalCategoryDataset data =
        (StatisticalCategoryDataset)
            Charts.published(replicated()).chart().getCategoryPlot().getDataset();
    assertEquals(3, data.getColumnCount());
    assertEquals(1.0 - 0.02, data.getMeanValue(1, 0).doubleValue(), 1e-12);
    assertEquals(0.02484138, data.getStdDevValue(1, 0).doubleValue(), 1e-8);
    assertNull(data.getStdDevValue(0, 0), "the published value has no interval");
    assertTrue(
        data.getColumnKey(0).toString().endsWith(", 3 seeds)"), data.getColumnKey(0).toString());
    StatisticalCategoryDataset single =
        (StatisticalCategoryDataset)
            Charts.published(Points.tutorial("r1")).chart().getCategoryPlot().getDataset();
    assertNull(single.getStdDevValue(1, 0), "one seed: no interval");
  }

  @Test
  void theTablesShowEachConfigurationsMeanAndInterval() {
    String html = HtmlPage.render(replicated(), List.of(), "results");
    String configurations =
        html.substring(html.indexOf("id=\"configurations\""), html.indexOf("id=\"points\""));
    assertEquals(6 + 1, count(configurations, "<tr"), "a row per configuration");
    assertTrue(
        configurations.contains("<td class=\"num\">0.9800 ± 0.0248 (n=3)</td>"), configurations);
    String findings =
        html.substring(html.indexOf("id=\"findings\""), html.indexOf("id=\"configurations\""));
    assertTrue(findings.contains("98 % ± 2.5 % (n=3)"), findings);
    String points =
        html.substring(html.indexOf("id=\"points\""), html.indexOf("id=\"provenance\""));
    assertTrue(points.contains("<th>seed</th>"), "every point shows its seed");
    assertEquals(18 + 1, count(points, "<tr"));

    String single = HtmlPage.render(Points.tutorial("r1"), List.of(), "results");
    assertFalse(single.contains("id=\"configurations\""), "one seed: no configuration table");
    assertFalse(single.contains("<th>seed</th>"));
    assertFalse(single.contains("±"));
  }

  /** Frontier searches of hidden 25 and 50 under three seeds each. */
  private static List<PointResult> probes() {
    List<PointResult> out = new ArrayList<>();
    for (int hidden : new int[] {25, 50}) {
      for (long seed = 1; seed <= 3; seed++) {
        int frontier = (int) seed + (hidden == 50 ? 3 : 0); // 1, 2, 3 and 4, 5, 6
        for (int lag : new int[] {0, 1, 3, 7, 5, 6, 4, 2}) {
          PointResult p = Points.point("r1", "whole", lag, 1, hidden, 0.5, 1.0, List.of());
          boolean reached = lag <= frontier;
          out.add(
              Points.with(
                  p,
                  Map.of(
                      "seed",
                      String.valueOf(seed),
                      "lag_search",
                      "frontier",
                      "variant",
                      "whole-sequence"),
                  reached ? 0.99 : 0.2,
                  reached ? 1000L : null));
        }
      }
    }
    return out;
  }

  @Test
  void theFrontierChartHasALinePerVariantAndWindowWithIntervals() {
    List<Chart> charts = Charts.all(probes());
    assertEquals("frontier-vs-hidden.png", charts.get(1).file());
    XYPlot plot = charts.get(1).chart().getXYPlot();
    XYSeriesCollection means = (XYSeriesCollection) plot.getDataset(0);
    assertEquals(1, means.getSeriesCount());
    assertEquals(25.0, means.getSeries(0).getX(0).doubleValue());
    assertEquals(2.0, means.getSeries(0).getY(0).doubleValue(), 1e-12);
    assertEquals(5.0, means.getSeries(0).getY(1).doubleValue(), 1e-12);
    YIntervalSeriesCollection bars = (YIntervalSeriesCollection) plot.getDataset(1);
    assertEquals(5.0 - 2.484138, bars.getStartYValue(0, 1), 1e-6);
    assertFalse(
        Charts.all(Points.tutorial("r1")).stream().anyMatch(c -> c.file().startsWith("frontier")),
        "no probes, no frontier chart");

    String html = HtmlPage.render(probes(), List.of(), "results");
    String table =
        html.substring(html.indexOf("id=\"frontiers\""), html.indexOf("id=\"configurations\""));
    assertEquals(2 + 1, count(table, "<tr"));
    assertTrue(table.contains("<td class=\"num\">5.00 ± 2.48 (n=3)</td>"), table);
    assertTrue(table.contains("<td class=\"num\">6.00 ± 2.48 (n=3)</td>"), table);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
