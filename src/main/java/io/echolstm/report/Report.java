package io.echolstm.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the report of some points: one self-contained HTML page ({@value #PAGE}) and each of its
 * charts as a PNG file beside it.
 */
public final class Report {
  public static final String PAGE = "index.html";

  private static final Logger LOG = LoggerFactory.getLogger(Report.class);

  private Report() {}

  /**
   * Draws the charts and writes the page and the PNGs into {@code out} (created if missing; files
   * of the same names are replaced).
   *
   * @param source where the rows were read from, named in the page
   * @return the page's path
   */
  public static Path write(List<PointResult> points, String source, Path out) {
    try {
      Files.createDirectories(out);
      List<HtmlPage.Image> images = new ArrayList<>();
      for (Chart c : Charts.all(points)) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, c.chart(), c.width(), c.height());
        byte[] bytes = png.toByteArray();
        replace(out.resolve(c.file()), bytes);
        images.add(new HtmlPage.Image(c, bytes));
      }
      Path page = out.resolve(PAGE);
      replace(page, HtmlPage.render(points, images, source).getBytes(StandardCharsets.UTF_8));
      LOG.info("report of {} points: {} ({} charts)", points.size(), page, images.size());
      return page;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the report to " + out + ": " + e.getMessage(), e);
    }
  }

  /** Writes a file whole or not at all: a reader never sees a half-written page. */
  static void replace(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
