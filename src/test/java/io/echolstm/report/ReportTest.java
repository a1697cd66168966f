package io.echolstm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path dir;

  @Test
  void writesThePageAndEveryChartAsAPngThePageEmbeds() throws Exception {
    List<PointResult> points = Points.tutorial("r1");
    Path page = Report.write(points, "results", dir.resolve("out"));

    assertEquals(dir.resolve("out").resolve("index.html"), page);
    String html = Files.readString(page);
    List<String> pngs;
    try (Stream<Path> files = Files.list(dir.resolve("out"))) {
      pngs =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".png"))
              .sorted()
              .toList();
    }
    assertEquals(
        List.of(
            "accuracy-vs-lag.png",
            "learning-accuracy.png",
            "learning-loss.png",
            "published.png",
            "seconds-to-target.png",
            "throughput.png",
            "windows-to-target.png"),
        pngs);

    // Every <img> is a data: URI holding exactly the bytes of one of the PNG files, drawn at the
    // size the tag states.
    Matcher img =
        Pattern.compile(
                "<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" width=\"(\\d+)\""
                    + " height=\"(\\d+)\"")
            .matcher(html);
    List<String> embedded = new ArrayList<>();
    while (img.find()) {
      byte[] bytes = Base64.getDecoder().decode(img.group(1));
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      assertEquals(Integer.parseInt(img.group(2)), image.getWidth());
      assertEquals(Integer.parseInt(img.group(3)), image.getHeight());
      String match = null;
      for (String name : pngs) {
        if (java.util.Arrays.equals(bytes, Files.readAllBytes(dir.resolve("out").resolve(name)))) {
          match = name;
        }
      }
      assertTrue(match != null, "an embedded image matches no PNG file");
      embedded.add(match);
    }
    assertEquals(pngs, embedded.stream().sorted().toList());
    assertEquals(pngs.size(), countOf(html, "<img "), "every image is a data: URI");

    // Self-contained: nothing fetched from anywhere, no scripts.
    assertFalse(html.contains("<script"), "no scripts");
    assertFalse(html.contains("<link"), "no linked style sheets or fonts");
    assertFalse(html.matches("(?s).*(src|href)=\"(?!data:|#).*"), "only data: and #anchor URLs");
    assertFalse(html.contains("@import") || html.contains("url("), "no CSS fetches");
    assertFalse(Files.exists(dir.resolve("out").resolve(".index.html.tmp")));
  }

  @Test
  void rewritingReplacesThePage() throws Exception {
    Path out = dir.resolve("out");
    Report.write(Points.tutorial("first-run"), "results", out);
    Report.write(Points.tutorial("second-run"), "results", out);
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(html.contains("second-run"));
    assertFalse(html.contains("first-run"));
  }

  @Test
  void tableTextIsEscaped() throws Exception {
    List<PointResult> points = new ArrayList<>(Points.tutorial("r1"));
    points.add(
        Points.point("r1", "<script>alert('x')</script> & \"q\"", 2, 5, 50, 0.9, 0.3, List.of()));
    String html = Files.readString(Report.write(points, "dir<&>", dir.resolve("out")));
    assertFalse(html.contains("<script"), html);
    assertTrue(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"));
    assertTrue(html.contains("<code>dir&lt;&amp;&gt;</code>"));
  }

  @Test
  void accuracyAgainstLagHasOneLinePerSettingAndTheControlsApart() {
    Chart chart = Charts.accuracyVsLag(Points.tutorial("r1"));
    XYPlot plot = chart.chart().getXYPlot();
    XYSeriesCollection data = (XYSeriesCollection) plot.getDataset();
    assertEquals(
        List.of(
            "stateless, window 1, hidden 15",
            "stateless, window 1, hidden 50",
            "stateless, window 5, hidden 50",
            "control: label not in the input"),
        seriesKeys(data));
    // window 5: lags 0, 1, 4, 5 in lag order
    assertEquals(4, data.getSeries(2).getItemCount());
    assertEquals(5.0, data.getSeries(2).getX(3).doubleValue());
    assertEquals(0.0068, data.getSeries(2).getY(3).doubleValue());
    // the controls: lag 1 of window 1 and lag 5 of window 5, drawn as markers only
    assertEquals(2, data.getSeries(3).getItemCount());
    assertEquals(1.0, data.getSeries(3).getX(0).doubleValue());
    assertEquals(5.0, data.getSeries(3).getX(1).doubleValue());
    var renderer = (org.jfree.chart.renderer.xy.XYLineAndShapeRenderer) plot.getRenderer();
    assertFalse(renderer.getSeriesLinesVisible(3));
    assertTrue(renderer.getSeriesLinesVisible(2) == null || renderer.getSeriesLinesVisible(2));
    assertEquals(List.of(0.01), markers(plot.getRangeMarkers(Layer.FOREGROUND)));
  }

  @Test
  void severalRunsGetALineEach() {
    List<PointResult> points = new ArrayList<>(Points.tutorial("a"));
    points.addAll(Points.tutorial("b"));
    XYSeriesCollection data =
        (XYSeriesCollection) Charts.accuracyVsLag(points).chart().getXYPlot().getDataset();
    assertEquals(7, data.getSeriesCount());
    assertEquals("run b, stateless, window 5, hidden 50", data.getSeriesKey(5));
  }

  @Test
  void learningCurvesComeFromTheHistory() {
    List<PointResult> points = Points.tutorial("r1");
    XYPlot acc = Charts.learningCurve(points, false).chart().getXYPlot();
    XYSeriesCollection data = (XYSeriesCollection) acc.getDataset();
    assertEquals(6, data.getSeriesCount());
    assertEquals("stateless lag 0, window 1, hidden 15", data.getSeriesKey(0));
    assertEquals(3, data.getSeries(0).getItemCount());
    assertEquals(10000.0, data.getSeries(0).getX(1).doubleValue());
    assertEquals(0.995, data.getSeries(0).getY(1).doubleValue());
    assertEquals("stateless lag 5, window 5, hidden 50 (control)", data.getSeriesKey(5));

    XYPlot loss = Charts.learningCurve(points, true).chart().getXYPlot();
    assertEquals(4.61, ((XYSeriesCollection) loss.getDataset()).getSeries(1).getY(0));
    assertEquals(List.of(Math.log(100)), markers(loss.getRangeMarkers(Layer.FOREGROUND)));
  }

  @Test
  void reachUsesTheRecordedTargetElseTheFirstEvaluationAtTheDefaultTarget() {
    PointResult learned = Points.tutorial("r1").get(0);
    Charts.Reach fromHistory = Charts.reach(learned);
    assertEquals(0.99, fromHistory.target());
    assertEquals(10000L, fromHistory.windows());
    assertEquals(2.0, fromHistory.seconds());

    assertNull(
        Charts.reach(Points.tutorial("r1").get(1)), "the beginner's mistake never gets there");

    PointResult p = learned;
    PointResult recorded =
        new PointResult(
            p.runId(),
            p.pointId(),
            p.experiment(),
            p.variant(),
            p.control(),
            p.lag(),
            p.window(),
            p.hidden(),
            p.values(),
            p.accuracy(),
            p.reachableAccuracy(),
            p.loss(),
            p.chanceAccuracy(),
            p.trainWindows(),
            p.trainSeconds(),
            p.windowsPerSecond(),
            0.9,
            7777L,
            1.5,
            "target",
            p.endedAt(),
            p.history(),
            p.columns());
    assertEquals(new Charts.Reach(0.9, 7777L, 1.5), Charts.reach(recorded));
  }

  @Test
  void windowsToTargetLeavesOutAndListsThePointsThatNeverGotThere() {
    Chart chart = Charts.toTarget(Points.tutorial("r1"), false);
    XYSeriesCollection data = (XYSeriesCollection) chart.chart().getXYPlot().getDataset();
    assertEquals(2, data.getSeriesCount());
    assertEquals(3, data.getSeries(1).getItemCount(), "window 5: lags 0, 1, 4");
    assertEquals(10000.0, data.getSeries(1).getY(0).doubleValue());
    String subtitle = ((org.jfree.chart.title.TextTitle) chart.chart().getSubtitle(1)).getText();
    assertTrue(subtitle.contains("lag 1, window 1, hidden 50 (control)"), subtitle);
    assertTrue(subtitle.contains("lag 5, window 5, hidden 50 (control)"), subtitle);
  }

  @Test
  void publishedOutcomesStandBesideTheMatchingPoints() {
    CategoryDataset data =
        Charts.published(Points.tutorial("r1")).chart().getCategoryPlot().getDataset();
    assertEquals(2, data.getRowCount());
    assertEquals(3, data.getColumnCount());
    assertEquals(List.of(1.0, 0.0, 1.0), row(data, 0));
    assertEquals(List.of(1.0, 0.01, 1.0), row(data, 1));
    assertTrue(
        data.getColumnKey(1).toString().startsWith("the beginner's mistake (lag 1, window 1"));
  }

  @Test
  void aSetupTheRunDidNotTrainShowsNoMeasuredBar() {
    List<PointResult> onlyLag = Points.tutorial("r1").subList(2, 6);
    CategoryPlot plot = Charts.published(onlyLag).chart().getCategoryPlot();
    CategoryDataset data = plot.getDataset();
    assertEquals(3, data.getColumnCount());
    assertNull(data.getValue(1, 0));
    assertTrue(data.getColumnKey(0).toString().endsWith("not in this report"));
    String html = HtmlPage.render(onlyLag, List.of(), "results");
    assertEquals(2, countOf(html, "not trained in the reported runs"), html);
  }

  @Test
  void provenanceListsTheSettingsThatDifferBetweenPoints() {
    String html = HtmlPage.render(Points.tutorial("r1"), List.of(), "results");
    String provenance = html.substring(html.indexOf("id=\"provenance\""));
    String differ =
        provenance.substring(
            provenance.indexOf("Settings that differ"), provenance.indexOf("Settings common"));
    for (String column : List.of("experiment", "lag", "window", "hidden")) {
      assertTrue(differ.contains("<th>" + column + "</th>"), differ);
    }
    assertFalse(differ.contains("learning_rate"), differ);
    assertFalse(differ.contains("<th>accuracy</th>"), "outcomes are not settings");
    // Columns that differ per point but are not settings: where its model is, how fast it ran.
    assertFalse(differ.contains("model_path"), differ);
    assertFalse(differ.contains("windows_per_second"), differ);
    String common = provenance.substring(provenance.indexOf("Settings common"));
    assertTrue(common.contains("learning_rate = 0.01"), common);
    assertTrue(common.contains("variant = stateless"), common);
    assertTrue(provenance.contains("<tr><th>master</th><td>local[2]</td></tr>"), provenance);
    assertTrue(provenance.contains("<tr><th>spark_version</th><td>3.5.7</td></tr>"), provenance);
    assertTrue(provenance.contains("<tr><th>dl4j_version</th><td>-</td></tr>"), "absent: a dash");
  }

  @Test
  void theLatestRunIsTheDefaultAndAnUnknownRunIsRefused() {
    List<PointResult> points = new ArrayList<>(Points.tutorial("a"));
    PointResult later = Points.tutorial("b").get(0);
    points.add(
        new PointResult(
            later.runId(),
            later.pointId(),
            later.experiment(),
            later.variant(),
            later.control(),
            later.lag(),
            later.window(),
            later.hidden(),
            later.values(),
            later.accuracy(),
            later.reachableAccuracy(),
            later.loss(),
            later.chanceAccuracy(),
            later.trainWindows(),
            later.trainSeconds(),
            later.windowsPerSecond(),
            null,
            null,
            null,
            "plateau",
            later.endedAt().plusSeconds(1),
            later.history(),
            later.columns()));
    assertEquals(List.of("b"), runs(ReportRuns.select(points, List.of(), "results")));
    assertEquals(List.of("a"), runs(ReportRuns.select(points, List.of("a"), "results")));
    assertEquals(List.of("b", "a"), runs(ReportRuns.select(points, List.of("b", "a"), "results")));

    ReportInputException unknown =
        assertThrows(
            ReportInputException.class, () -> ReportRuns.select(points, List.of("c"), "results"));
    assertEquals(
        "run id 'c' is not in the results table results (runs: a, b)", unknown.getMessage());
    ReportInputException empty =
        assertThrows(
            ReportInputException.class, () -> ReportRuns.select(List.of(), List.of(), "nowhere"));
    assertTrue(empty.getMessage().startsWith("no results table in nowhere"), empty.getMessage());
  }

  @Test
  void escapesEveryHtmlSpecialCharacter() {
    assertEquals("a&amp;b&lt;c&gt;d&quot;e&#39;f", HtmlPage.esc("a&b<c>d\"e'f"));
  }

  private static List<String> runs(List<PointResult> points) {
    return points.stream().map(PointResult::runId).distinct().toList();
  }

  private static List<Object> seriesKeys(XYSeriesCollection data) {
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < data.getSeriesCount(); i++) {
      keys.add(data.getSeriesKey(i));
    }
    return keys;
  }

  private static List<Double> row(CategoryDataset data, int row) {
    List<Double> values = new ArrayList<>();
    for (int c = 0; c < data.getColumnCount(); c++) {
      Number n = data.getValue(row, c);
      values.add(n == null ? null : n.doubleValue());
    }
    return values;
  }

  private static List<Double> markers(java.util.Collection<?> markers) {
    List<Double> values = new ArrayList<>();
    for (Object m : markers) {
      values.add(((ValueMarker) m).getValue());
    }
    return values;
  }

  private static int countOf(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
