package io.echolstm.report;

import static io.echolstm.report.SummaryTable.dash;
import static io.echolstm.report.SummaryTable.pointCells;
import static io.echolstm.report.SummaryTable.searchCells;

import io.echolstm.config.Settings;
import io.echolstm.results.ResultsSchema;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The report as one self-contained HTML page: no scripts, no external style sheets, fonts or images
 * (the charts are embedded as {@code data:} URIs). All text from the table is escaped.
 */
final class HtmlPage {
  /**
   * The columns that hold a point's settings: its experiment and every setting declared per point
   * (the same declarations the table's columns come from).
   */
  static final Set<String> SETTINGS =
      Stream.concat(
              Stream.of("experiment"),
              Settings.perPoint().stream().map(s -> s.column().orElseThrow()))
          .collect(Collectors.toCollection(LinkedHashSet::new));

  /** A chart rendered to PNG bytes. */
  record Image(Chart chart, byte[] png) {}

  private HtmlPage() {}

  static String render(List<PointResult> points, List<Image> images, String source) {
    StringBuilder h = new StringBuilder();
    List<String> runs = points.stream().map(PointResult::runId).distinct().toList();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>echo-lstm report: ")
        .append(esc(String.join(", ", runs)))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n");
    h.append("<h1>echo-lstm report</h1>\n<p class=\"lead\">")
        .append(runs.size() == 1 ? "Run " : "Runs ")
        .append(esc(String.join(", ", runs)))
        .append(": ")
        .append(points.size())
        .append(points.size() == 1 ? " point" : " points")
        .append(", read from the results table <code>")
        .append(esc(source))
        .append("</code>.</p>\n");

    h.append("<nav><ul>\n");
    for (Image i : images) {
      h.append("<li><a href=\"#")
          .append(esc(anchor(i.chart())))
          .append("\">")
          .append(esc(i.chart().title()))
          .append("</a></li>\n");
    }
    List<Configuration> configurations = Configuration.of(points);
    boolean replicated = configurations.stream().anyMatch(c -> c.n() > 1);
    List<Frontier> frontiers = Frontier.of(points);
    h.append("<li><a href=\"#findings\">The tutorial's findings, in numbers</a></li>\n");
    if (!frontiers.isEmpty()) {
      h.append("<li><a href=\"#frontiers\">Lag frontiers</a></li>\n");
    }
    if (replicated) {
      h.append("<li><a href=\"#configurations\">Every configuration</a></li>\n");
    }
    h.append("<li><a href=\"#points\">Every point</a></li>\n")
        .append("<li><a href=\"#provenance\">Provenance</a></li>\n</ul></nav>\n");

    for (Image i : images) {
      Chart c = i.chart();
      h.append("<section id=\"")
          .append(esc(anchor(c)))
          .append("\">\n<h2>")
          .append(esc(c.title()))
          .append("</h2>\n<figure>\n<img src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(i.png()))
          .append("\" width=\"")
          .append(c.width())
          .append("\" height=\"")
          .append(c.height())
          .append("\" alt=\"")
          .append(esc(c.title()))
          .append("\">\n<figcaption>")
          .append(esc(c.caption()))
          .append(" <span class=\"file\">(")
          .append(esc(c.file()))
          .append(")</span></figcaption>\n</figure>\n</section>\n");
    }

    findings(h, points);
    if (!frontiers.isEmpty()) {
      frontiersTable(h, frontiers, runs.size() > 1);
    }
    if (replicated) {
      configurationsTable(h, configurations, runs.size() > 1);
    }
    pointsTable(h, points, runs.size() > 1);
    provenance(h, points, runs);
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void findings(StringBuilder h, List<PointResult> points) {
    h.append("<section id=\"findings\">\n<h2>The tutorial's findings, in numbers</h2>\n")
        .append("<table>\n<thead><tr><th>setup</th><th>what it shows</th>")
        .append("<th>published accuracy</th><th>published loss</th><th>measured point</th>")
        .append("<th>measured accuracy</th><th>measured loss</th></tr></thead>\n<tbody>\n");
    for (Published.Finding f : Published.FINDINGS) {
      List<Configuration> measured = Configuration.of(Published.measured(f, points));
      int span = Math.max(1, measured.size());
      h.append("<tr><td rowspan=\"")
          .append(span)
          .append("\">")
          .append(esc(f.name() + " (" + f.setup() + ")"))
          .append("</td><td rowspan=\"")
          .append(span)
          .append("\">")
          .append(esc(f.meaning()))
          .append("</td><td rowspan=\"")
          .append(span)
          .append("\">")
          .append(esc(f.accuracyText()))
          .append("</td><td rowspan=\"")
          .append(span)
          .append("\">")
          .append(esc(f.lossText() == null ? "-" : f.lossText()))
          .append("</td>");
      if (measured.isEmpty()) {
        h.append(
            "<td colspan=\"3\" class=\"missing\">not trained in the reported runs</td></tr>\n");
      }
      for (int i = 0; i < measured.size(); i++) {
        Configuration c = measured.get(i);
        PointResult p = c.first();
        if (i > 0) {
          h.append("<tr>");
        }
        h.append("<td>")
            .append(esc(p.runId() + ": " + p.label() + (c.n() > 1 ? ", " + c.n() + " seeds" : "")))
            .append("</td><td class=\"num\">")
            .append(esc(percent(c.interval(PointResult::accuracy))))
            .append("</td><td class=\"num\">")
            .append(esc(c.n() > 1 ? c.interval(PointResult::loss).format(3) : fixed(p.loss(), 3)))
            .append("</td></tr>\n");
      }
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  /** An accuracy as a percentage, with its interval when it has replicates. */
  private static String percent(Interval i) {
    if (i.n() == 0) {
      return "-";
    }
    if (i.n() == 1) {
      return Charts.percent(i.mean());
    }
    return Charts.percent(i.mean()) + " ± " + Charts.percent(i.halfWidth()) + " (n=" + i.n() + ")";
  }

  private static String fixed(Object value, int decimals) {
    return SummaryTable.fixed(value, decimals);
  }

  /** One row per frontier: the largest lag reached and the smallest failed above it, per seed. */
  private static void frontiersTable(StringBuilder h, List<Frontier> frontiers, boolean runs) {
    h.append("<section id=\"frontiers\">\n<h2>Lag frontiers</h2>\n");
    List<String> heads = new ArrayList<>();
    if (runs) {
      heads.add("run");
    }
    heads.addAll(
        List.of(
            "experiment",
            "variant",
            "window",
            "hidden",
            "seeds",
            "largest lag reached",
            "test accuracy there",
            "smallest lag failed above it",
            "test accuracy there",
            "probes",
            "notes"));
    List<Line> lines = new ArrayList<>();
    for (Frontier f : frontiers) {
      PointResult p = f.first();
      List<String> cells = new ArrayList<>();
      if (runs) {
        cells.add(p.runId());
      }
      cells.addAll(searchCells(p));
      cells.addAll(f.figures());
      cells.add(f.notes().isEmpty() ? "-" : String.join("; ", f.notes()));
      lines.add(new Line(cells, false));
    }
    table(h, heads, lines);
    h.append("<p class=\"note\">Each search (one per seed,")
        .append(" sweep.lag-search=frontier) probes lags by doubling and then bisection for the")
        .append(" largest lag whose point reaches its train.target-accuracy on validation; the")
        .append(" test accuracy is that probe's. With several seeds: the mean over the searches")
        .append(" that have the figure, ± its 95 % confidence interval (Student's t), and n.")
        .append(" A probe that failed below a lag reached contradicts monotonicity and is named")
        .append(" in the notes.</p>\n</section>\n");
  }

  /** One row per configuration with replicates: each metric's mean ± interval (n). */
  private static void configurationsTable(
      StringBuilder h, List<Configuration> configurations, boolean runs) {
    h.append("<section id=\"configurations\">\n<h2>Every configuration</h2>\n");
    List<String> heads = new ArrayList<>();
    if (runs) {
      heads.add("run");
    }
    heads.addAll(
        List.of(
            "experiment",
            "variant",
            "lag",
            "window",
            "hidden",
            "seeds",
            "accuracy",
            "reachable",
            "chance",
            "loss",
            "windows to target",
            "stopped",
            "control"));
    List<Line> lines = new ArrayList<>();
    for (Configuration c : configurations) {
      PointResult p = c.first();
      List<String> cells = new ArrayList<>();
      if (runs) {
        cells.add(p.runId());
      }
      cells.addAll(pointCells(p));
      cells.addAll(c.figures());
      cells.add(
          c.interval(
                  q -> {
                    Charts.Reach reach = Charts.reach(q);
                    return reach == null ? null : reach.windows();
                  })
              .format(0));
      cells.add(c.stopped());
      cells.add(p.control() ? "yes" : "no");
      lines.add(new Line(cells, p.control()));
    }
    table(h, heads, lines);
    h.append("<p class=\"note\">A configuration is the points that differ")
        .append(" only in their seed (its replicates). Each figure is the mean over the")
        .append(" replicates that have it, ± the 95 % confidence interval of the mean (Student's")
        .append(" t with n − 1 degrees of freedom), and n; windows to target over the replicates")
        .append(" that reached it.</p>\n</section>\n");
  }

  /** A table row's cells, and whether it is a control's (shown as such). */
  private record Line(List<String> cells, boolean control) {}

  /** The columns of the tables that hold text; the others hold numbers, right-aligned. */
  private static final Set<String> TEXT_COLUMNS =
      Set.of("run", "experiment", "variant", "stopped", "control", "probe", "notes");

  /** A table: its head row of {@code heads}, then a row per line, every text escaped. */
  private static void table(StringBuilder h, List<String> heads, List<Line> lines) {
    h.append("<table>\n<thead><tr>");
    for (String head : heads) {
      h.append("<th>").append(esc(head)).append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
    for (Line line : lines) {
      h.append(line.control() ? "<tr class=\"control\">" : "<tr>");
      for (int i = 0; i < line.cells().size(); i++) {
        boolean text = TEXT_COLUMNS.contains(heads.get(i));
        h.append(text ? "<td>" : "<td class=\"num\">")
            .append(esc(line.cells().get(i)))
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n");
  }

  /**
   * One row per point; a {@code seed} column when the points have several seeds, a {@code probe}
   * column when some are probes of frontier searches.
   */
  private static void pointsTable(StringBuilder h, List<PointResult> points, boolean runs) {
    h.append("<section id=\"points\">\n<h2>Every point</h2>\n");
    boolean seeds = points.stream().map(PointResult::seed).distinct().count() > 1;
    boolean probes = points.stream().anyMatch(PointResult::probe);
    List<String> heads = new ArrayList<>();
    if (runs) {
      heads.add("run");
    }
    heads.addAll(List.of("experiment", "variant", "lag", "window", "hidden"));
    if (seeds) {
      heads.add("seed");
    }
    heads.addAll(
        List.of(
            "accuracy",
            "reachable",
            "chance",
            "loss",
            "stopped",
            "windows to target",
            "train windows",
            "train s",
            "windows/s",
            "control"));
    if (probes) {
      heads.add("probe");
    }
    List<Line> lines = new ArrayList<>();
    for (PointResult p : points) {
      Charts.Reach reach = Charts.reach(p);
      List<String> cells = new ArrayList<>();
      if (runs) {
        cells.add(p.runId());
      }
      cells.addAll(pointCells(p));
      if (seeds) {
        cells.add(dash(p.seed()));
      }
      cells.addAll(
          List.of(
              SummaryTable.fixed(p.accuracy(), 4),
              SummaryTable.fixed(p.reachableAccuracy(), 4),
              SummaryTable.fixed(p.chance(), 4),
              SummaryTable.fixed(p.loss(), 4),
              dash(p.stopReason()),
              reach == null || reach.windows() == null ? "-" : reach.windows().toString(),
              dash(p.trainWindows()),
              SummaryTable.fixed(p.trainSeconds(), 1),
              SummaryTable.fixed(p.windowsPerSecond(), 0),
              p.control() ? "yes" : "no"));
      if (probes) {
        cells.add(p.probe() ? "yes" : "no");
      }
      lines.add(new Line(cells, p.control()));
    }
    table(h, heads, lines);
    h.append("<p class=\"note\">Accuracy, reachable accuracy and loss are")
        .append(" measured on the test sequences; windows to target from the validation")
        .append(" evaluations (")
        .append(esc(Charts.percent(Charts.DEFAULT_TARGET)))
        .append(" when a point had no target).</p>\n</section>\n");
  }

  private static void provenance(StringBuilder h, List<PointResult> points, List<String> runs) {
    h.append("<section id=\"provenance\">\n<h2>Provenance</h2>\n");
    for (String run : runs) {
      List<PointResult> rows = points.stream().filter(p -> p.runId().equals(run)).toList();
      h.append("<h3>Run ").append(esc(run)).append("</h3>\n<table class=\"kv\">\n");
      kv(h, "points", String.valueOf(rows.size()));
      kv(h, "started", extreme(rows, "started_at", false));
      kv(h, "ended", extreme(rows, "ended_at", true));
      for (String column : ResultsSchema.PROVENANCE_COLUMNS) {
        kv(h, column, distinct(rows, column));
      }
      h.append("</table>\n");

      Map<String, Set<String>> settings = new LinkedHashMap<>();
      for (PointResult p : rows) {
        for (Map.Entry<String, String> e : p.columns().entrySet()) {
          if (SETTINGS.contains(e.getKey())) {
            settings
                .computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>())
                .add(dash(e.getValue()));
          }
        }
      }
      List<String> differing =
          settings.entrySet().stream()
              .filter(e -> e.getValue().size() > 1)
              .map(Map.Entry::getKey)
              .toList();
      h.append("<h4>Settings that differ between points</h4>\n");
      if (differing.isEmpty()) {
        h.append("<p>None: every point of the run has the same settings.</p>\n");
      } else {
        h.append("<table>\n<thead><tr>");
        for (String column : differing) {
          h.append("<th>").append(esc(column)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (PointResult p : rows) {
          h.append("<tr>");
          for (String column : differing) {
            h.append("<td>").append(esc(dash(p.columns().get(column)))).append("</td>");
          }
          h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
      }
      h.append("<h4>Settings common to every point</h4>\n<p class=\"settings\">");
      List<String> common = new ArrayList<>();
      settings.forEach(
          (k, v) -> {
            if (v.size() == 1) {
              common.add(k + " = " + v.iterator().next());
            }
          });
      h.append(esc(common.isEmpty() ? "none" : String.join("; ", common))).append("</p>\n");
    }
    h.append("</section>\n");
  }

  private static void kv(StringBuilder h, String key, String value) {
    h.append("<tr><th>")
        .append(esc(key))
        .append("</th><td>")
        .append(esc(value))
        .append("</td></tr>\n");
  }

  private static String distinct(List<PointResult> rows, String column) {
    Set<String> values = new LinkedHashSet<>();
    rows.forEach(p -> values.add(dash(p.columns().get(column))));
    return String.join(", ", values);
  }

  /** The earliest (or latest) ISO-8601 time of a column, which sorts as text. */
  private static String extreme(List<PointResult> rows, String column, boolean latest) {
    String best = null;
    for (PointResult p : rows) {
      String v = p.columns().get(column);
      if (v != null && (best == null || (latest ? v.compareTo(best) > 0 : v.compareTo(best) < 0))) {
        best = v;
      }
    }
    return dash(best);
  }

  private static String anchor(Chart c) {
    return c.file().replaceFirst("\\.png$", "");
  }

  /** Text as HTML content or a quoted attribute value. */
  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final String CSS =
      String.join(
          "\n",
          "body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em;",
          "  color: #222; line-height: 1.4; }",
          "h1 { margin-bottom: 0.2em; }",
          "h2 { margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }",
          ".lead { color: #555; }",
          "figure { margin: 0; }",
          "img { max-width: 100%; height: auto; border: 1px solid #eee; }",
          "figcaption { color: #444; font-size: 0.95em; margin-top: 0.4em; }",
          ".file { color: #888; }",
          "table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }",
          "th, td { border: 1px solid #ddd; padding: 0.25em 0.5em; text-align: left;",
          "  vertical-align: top; }",
          "th { background: #f5f5f5; }",
          "td.num { text-align: right; font-variant-numeric: tabular-nums; }",
          "tr.control td { color: #a33; }",
          "td.missing { color: #888; font-style: italic; }",
          "table.kv th { width: 12em; }",
          ".settings { font-family: monospace; font-size: 0.9em; }",
          ".note { color: #555; font-size: 0.9em; }",
          "");
}
