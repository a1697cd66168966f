package io.echolstm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} for real: a small sweep of replicates and a frontier search, then {@code report}
 * through {@code scripts/run.sh} (the shaded jar through {@code scripts/spark-submit}); the summary
 * and the page show the intervals and the frontier, the page and its PNGs are checked on disk and
 * then opened in a real headless browser (Debian's {@code chromium}, which {@code
 * scripts/ensure-chromium} installs before the integration tests when it is missing), which must
 * load every chart image and takes a screenshot into {@code target/report-e2e/}.
 */
class ReportEndToEndIT {
  private static final String RUN_ID = "e2e-report";
  private static final Path SHOTS = SweepProcess.ROOT.resolve("target/report-e2e");
  private static final List<String> CHARTS =
      List.of(
          "accuracy-vs-lag.png",
          "frontier-vs-hidden.png",
          "published.png",
          "learning-accuracy.png",
          "learning-loss.png",
          "windows-to-target.png",
          "seconds-to-target.png",
          "throughput.png");

  @TempDir Path dir;

  private SweepProcess.Outcome runSh(SweepProcess.Sandbox sandbox, String name, List<String> args)
      throws Exception {
    try (SweepProcess p =
        SweepProcess.start(dir.resolve("logs/" + name), sandbox, "local[2]", List.of(), args)) {
      SweepProcess.Outcome o = p.await(Duration.ofMinutes(10));
      System.out.println(o.report());
      return o;
    }
  }

  @Test
  void reportOfASweepOpensInAHeadlessBrowserWithEveryChart() throws Exception {
    String chromium = chromium();
    SweepProcess.Sandbox sandbox = SweepProcess.Sandbox.in(dir.resolve("sandbox"));
    Path results = sandbox.work().resolve("results");

    // One run, seeds 1 and 2, on the small problem of SweepEndToEndIT. A grid of windows 1 and 3
    // over lags 0, 1, 3: the tutorial's echo-current (lag 0, window 1) and beginner's mistake (lag
    // 1, window 1) setups are among its configurations, and three are controls. A frontier search
    // of a stateless window of 3 over lags 0-7: each seed's search probes lags 0, 1, 3, 7 and 2
    // (not
    // 4, 5 or 6) and finds the known frontier, lag 2 = window - 1 (lags from 3 on are controls).
    Path conf = sandbox.work().resolve("replicates-and-frontier.properties");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "experiments = grid, frontier",
            "seed = 1-2",
            "data.values = 10",
            "data.sequence-length = 10",
            "data.train-sequences = 400",
            "data.eval-sequences = 50",
            "data.partitions = 2",
            "model.hidden = 16",
            "train.workers = 1",
            "train.batch-size = 32",
            "train.learning-rate = 0.05",
            "experiment.grid.sweep.windows = 1, 3",
            "experiment.grid.sweep.lags = 0, 1, 3",
            "experiment.grid.train.epochs = 2",
            "experiment.frontier.sweep.windows = 3",
            "experiment.frontier.sweep.lags = 0-7",
            "experiment.frontier.sweep.lag-search = frontier",
            "experiment.frontier.train.target-accuracy = 0.9",
            "experiment.frontier.train.epochs = 4",
            ""));
    List<String> sweepArgs =
        List.of(
            "sweep",
            "--conf",
            conf.toString(),
            "--results",
            results.toString(),
            "--run-id",
            RUN_ID);
    SweepProcess.Outcome sweep = runSh(sandbox, "sweep", sweepArgs);
    assertEquals(0, sweep.code(), sweep.tail());
    assertTrue(sweep.stdout().contains("run " + RUN_ID + ": 22 trained"), sweep.stdout());
    // The summary: a line per configuration, each figure mean ± interval (n=2) ...
    List<String> grid =
        sweep.stdout().lines().filter(l -> l.matches("grid +stateless .* (yes|no)")).toList();
    assertEquals(6, grid.size(), sweep.stdout());
    assertTrue(
        grid.stream().allMatch(l -> l.matches(".* ± [0-9.]+ \\(n=2\\) .*")), grid.toString());
    // ... and the frontier: reached lag 2 (both seeds), failed lag 3, in 10 probes.
    assertTrue(
        sweep
            .stdout()
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        "frontier +stateless +3 +16 +2 +2\\.00 ± 0\\.00 \\(n=2\\) .*"
                            + " 3\\.00 ± 0\\.00 \\(n=2\\) .* 10")),
        sweep.stdout());
    // Without a target a frontier search is refused before Spark starts: one line, exit code 2.
    List<String> noTarget = new ArrayList<>(sweepArgs);
    noTarget.addAll(List.of("--set", "train.target-accuracy=none"));
    assertBadInput(
        runSh(sandbox, "no-target", noTarget),
        "echo-lstm: sweep.lag-search=frontier needs train.target-accuracy");

    // The default output directory, relative to where run.sh is run.
    SweepProcess.Outcome report =
        runSh(sandbox, "report", List.of("report", "--results", results.toString()));
    assertEquals(0, report.code(), report.tail());
    Path page = sandbox.work().resolve("reports").resolve(RUN_ID).resolve("index.html");
    assertTrue(
        report
            .stdout()
            .contains(
                "report of run " + RUN_ID + " (22 points): reports/" + RUN_ID + "/index.html"),
        report.stdout());

    // On disk: the page and one PNG per chart, each a real image.
    assertTrue(Files.isRegularFile(page), "no page at " + page);
    for (String chart : CHARTS) {
      BufferedImage image = ImageIO.read(page.resolveSibling(chart).toFile());
      assertTrue(image != null && image.getWidth() > 0 && image.getHeight() > 0, chart);
    }
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertEquals(CHARTS.size(), count(html, "<img src=\"data:image/png;base64,"), "embedded");
    assertFalse(html.contains("<script"), "the page needs no scripts");
    assertFalse(
        Pattern.compile("(src|href)=\"(?!data:|#)").matcher(html).find(), "nothing fetched");
    assertTrue(html.contains("Run " + RUN_ID + ": 22 points"), "the run is named");
    assertTrue(html.contains("<tr><th>master</th><td>local[2]</td></tr>"), "provenance");
    // The frontier, and the configurations with their intervals.
    String frontiers = html.substring(html.indexOf("id=\"frontiers\""));
    assertTrue(frontiers.contains("<td class=\"num\">2.00 ± 0.00 (n=2)</td>"), frontiers);
    assertTrue(frontiers.contains("<td class=\"num\">3.00 ± 0.00 (n=2)</td>"), frontiers);
    String configurations = html.substring(html.indexOf("id=\"configurations\""));
    assertTrue(configurations.contains(" (n=2)</td>"), configurations);
    // Beside it, the rows for scripts (scripts/bench.sh reads its figures there): one per point.
    List<String> rows = Files.readAllLines(page.resolveSibling("points.jsonl"));
    assertEquals(22, rows.size(), String.join("\n", rows));
    assertEquals(10, rows.stream().filter(r -> r.contains("\"lag_search\":\"frontier\"")).count());
    assertTrue(
        rows.stream().allMatch(r -> r.contains("\"run_id\":\"" + RUN_ID + "\"")), rows.get(0));

    // In the browser: every image of the page loaded and decoded.
    List<String> images = imagesAsLoaded(chromium, page);
    assertEquals(CHARTS.size() + 1, images.size(), String.join("\n", images));
    assertEquals("images=" + CHARTS.size(), images.get(0));
    for (String line : images.subList(1, images.size())) {
      Matcher m = Pattern.compile("complete=(\\w+) natural=(\\d+)x(\\d+)").matcher(line);
      assertTrue(m.find(), line);
      assertEquals("true", m.group(1), line);
      assertTrue(Integer.parseInt(m.group(2)) > 0 && Integer.parseInt(m.group(3)) > 0, line);
    }
    // ... a check that does see a broken image: the same page with one image's bytes spoiled.
    Path broken = dir.resolve("broken/index.html");
    Files.createDirectories(broken.getParent());
    Files.writeString(
        broken, html.replaceFirst("base64,iVBOR", "base64,AAAAR"), StandardCharsets.UTF_8);
    List<String> spoiled = imagesAsLoaded(chromium, broken);
    assertTrue(spoiled.get(1).contains("natural=0x0"), String.join("\n", spoiled));

    // A screenshot of the whole page, kept for people to look at.
    Files.createDirectories(SHOTS);
    Path shot = SHOTS.resolve("report-screenshot.png");
    Files.deleteIfExists(shot);
    chrome(
        chromium,
        "--hide-scrollbars",
        "--window-size=1280,9000",
        "--screenshot=" + shot,
        page.toUri().toString());
    BufferedImage screenshot = ImageIO.read(shot.toFile());
    assertTrue(screenshot != null, "no screenshot at " + shot);
    assertEquals(1280, screenshot.getWidth());
    assertTrue(colours(screenshot) > 50, "the screenshot is (nearly) blank");

    // Bad input through spark-submit: one line, exit code 2.
    SweepProcess.Outcome noTable =
        runSh(
            sandbox,
            "no-table",
            List.of("report", "--results", sandbox.work().resolve("nothing").toString()));
    assertBadInput(noTable, "echo-lstm: no results table in ");
    SweepProcess.Outcome unknownRun =
        runSh(
            sandbox,
            "unknown-run",
            List.of("report", "--results", results.toString(), "--run-id", "no-such-run"));
    assertBadInput(
        unknownRun,
        "echo-lstm: run id 'no-such-run' is not in the results table "
            + results
            + " (runs: "
            + RUN_ID
            + ")");
  }

  private static void assertBadInput(SweepProcess.Outcome o, String line) {
    assertEquals(2, o.code(), o.tail());
    List<String> ours = o.stderr().lines().filter(l -> l.startsWith("echo-lstm:")).toList();
    assertEquals(1, ours.size(), o.stderr());
    assertTrue(ours.get(0).startsWith(line), o.stderr());
    assertFalse(o.stderr().contains("\tat "), "no stack trace: " + o.stderr());
    assertEquals("", o.stdout());
  }

  /**
   * Opens the page in an iframe of a test-only wrapper whose script, once everything has loaded,
   * lists each image of the page as the browser sees it; returns those lines ({@code images=N},
   * then {@code image I complete=... natural=WxH} per image).
   */
  private List<String> imagesAsLoaded(String chromium, Path page) throws Exception {
    Path wrapper = page.resolveSibling("check-images.html");
    Files.writeString(
        wrapper,
        String.join(
            "\n",
            "<!DOCTYPE html><html><body><pre id=\"result\">not run</pre>",
            "<iframe id=\"page\" src=\""
                + page.getFileName()
                + "\" width=\"1200\""
                + " height=\"800\"></iframe>",
            "<script>",
            "window.addEventListener('load', function () {",
            "  var out = document.getElementById('result');",
            "  try {",
            "    var images = document.getElementById('page').contentDocument.images;",
            "    var lines = ['images=' + images.length];",
            "    for (var i = 0; i < images.length; i++) {",
            "      lines.push('image ' + i + ' complete=' + images[i].complete + ' natural='",
            "          + images[i].naturalWidth + 'x' + images[i].naturalHeight);",
            "    }",
            "    out.textContent = lines.join('\\n');",
            "  } catch (e) { out.textContent = 'error: ' + e; }",
            "});",
            "</script></body></html>"),
        StandardCharsets.UTF_8);
    try {
      // file: pages are each their own origin unless file access is allowed between them.
      String dom =
          chrome(
              chromium,
              "--allow-file-access-from-files",
              "--virtual-time-budget=10000",
              "--dump-dom",
              wrapper.toUri().toString());
      Matcher m = Pattern.compile("(?s)<pre id=\"result\">(.*?)</pre>").matcher(dom);
      assertTrue(m.find(), "no result in the dumped DOM:\n" + dom);
      return m.group(1).lines().toList();
    } finally {
      Files.delete(wrapper);
    }
  }

  /** Runs headless chromium with a fresh profile; returns its stdout, fails on a bad exit. */
  private String chrome(String chromium, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(chromium);
    command.addAll(
        List.of(
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile")));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "chromium", ".out");
    Path err = Files.createTempFile(dir, "chromium", ".err");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 2 minutes: " + command);
    }
    String stderr = Files.readString(err);
    assertEquals(0, p.exitValue(), "chromium failed: " + command + "\n" + stderr);
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /**
   * The browser: {@code CHROMIUM} when set, else {@code chromium} on the PATH. Missing, the test
   * fails (a skipped browser check would pass unseen); {@code mvn verify} provides it first.
   */
  private static String chromium() {
    String named = System.getenv("CHROMIUM");
    if (named != null && !named.isBlank()) {
      return named;
    }
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, "chromium");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError(
        "chromium not found on the PATH (nor CHROMIUM set): this test opens the report in a real"
            + " headless browser; install it (Debian: apt-get install chromium, which"
            + " scripts/ensure-chromium does before the integration tests)");
  }

  private static int colours(BufferedImage image) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        seen.add(image.getRGB(x, y));
      }
    }
    return seen.size();
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
