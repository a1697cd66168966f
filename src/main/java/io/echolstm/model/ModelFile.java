package io.echolstm.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A trained network as one file: DL4J's model zip ({@link ModelSerializer}: configuration JSON and
 * parameters, no updater state) plus an {@value #ENTRY} entry with its {@link ModelInfo}. DL4J
 * restores it as is ({@code ModelSerializer.restoreMultiLayerNetwork}, {@code
 * MultiLayerNetwork.load}) and skips the extra entry; the fast LSTM layer is named in the
 * configuration, so a restored network computes with the layer it was trained with.
 */
public final class ModelFile {
  /** The zip entry holding the {@link ModelInfo} (Java properties, UTF-8). */
  public static final String ENTRY = "echo-lstm.properties";

  /**
   * The largest {@value #ENTRY} entry read: it holds a dozen short properties and the point key (a
   * few hundred bytes).
   */
  static final int MAX_INFO_BYTES = 64 << 10;

  /** The most values ({@code data.values}) and LSTM units ({@code model.hidden}) a sweep takes. */
  static final long MAX_VALUES = 10_000;

  static final long MAX_HIDDEN = 4_096;

  /**
   * The most parameters a network the sweep builds can have: an LSTM layer of {@link #MAX_HIDDEN}
   * units reading {@link #MAX_VALUES} one-hot inputs plus a window-start marker ({@code 4h(in + h +
   * 1)}), and its output layer ({@code h * values + values}).
   */
  static final long MAX_PARAMETERS =
      4 * MAX_HIDDEN * ((MAX_VALUES + 1) + MAX_HIDDEN + 1) + MAX_HIDDEN * MAX_VALUES + MAX_VALUES;

  /**
   * The largest model file read, and the most its entries may inflate to together: the largest
   * network's parameters as 32-bit floats (about 1.1 GB) plus 16 MiB for the configuration, the
   * {@value #ENTRY} entry and the zip's own structure. A larger file, or a zip whose entries
   * inflate past it (a zip bomb), is not a model this job saved.
   */
  public static final long MAX_BYTES = 4 * MAX_PARAMETERS + (16 << 20);

  private ModelFile() {}

  /** A restored network with what it needs to be used. */
  public record Saved(MultiLayerNetwork network, ModelInfo info) {}

  /** Writes {@code network} and {@code info} as one zip to {@code out}, which stays open. */
  public static void write(MultiLayerNetwork network, ModelInfo info, OutputStream out)
      throws IOException {
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    ModelSerializer.writeModel(network, model, false);
    ZipOutputStream zip = new ZipOutputStream(out);
    try (ZipInputStream entries =
        new ZipInputStream(new ByteArrayInputStream(model.toByteArray()))) {
      for (ZipEntry e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
        zip.putNextEntry(new ZipEntry(e.getName()));
        entries.transferTo(zip);
        zip.closeEntry();
      }
    }
    StringWriter text = new StringWriter();
    info.toProperties().store(text, "echo-lstm model: how to frame a sequence for this network");
    zip.putNextEntry(new ZipEntry(ENTRY));
    zip.write(text.toString().getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
    zip.finish();
    zip.flush();
  }

  /**
   * Restores a model {@link #write} wrote.
   *
   * @param name how the user named the file, for messages
   * @throws ModelFileException when the bytes are not such a model (not a zip, a zip without
   *     {@value #ENTRY}, a bad entry, a network DL4J cannot restore, or one that does not match its
   *     entry), with a one-line message naming {@code name}
   */
  public static Saved read(byte[] bytes, String name) throws ModelFileException {
    Properties properties = null;
    boolean anyEntry = false;
    long inflated = 0;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        anyEntry = true;
        if (e.getName().equals(ENTRY)) {
          byte[] entry = zip.readNBytes(MAX_INFO_BYTES + 1);
          if (entry.length > MAX_INFO_BYTES) {
            throw new ModelFileException(
                "not a model this job saved: the "
                    + ENTRY
                    + " entry of "
                    + name
                    + " inflates to more than "
                    + MAX_INFO_BYTES
                    + " bytes");
          }
          inflated += entry.length;
          properties = new Properties();
          properties.load(new StringReader(new String(entry, StandardCharsets.UTF_8)));
        } else {
          // Inflated only to count: DL4J reads the entries itself below, so their total is bounded
          // here first.
          inflated += zip.skip(MAX_BYTES - inflated + 1);
        }
        if (inflated > MAX_BYTES) {
          throw new ModelFileException(
              "not a model this job saved: the entries of "
                  + name
                  + " inflate to more than "
                  + MAX_BYTES
                  + " bytes");
        }
      }
    } catch (ModelFileException e) {
      throw e;
    } catch (ZipException | IllegalArgumentException e) {
      throw new ModelFileException(
          "corrupt model file " + name + ": not a readable zip (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new ModelFileException(
          "corrupt model file " + name + ": " + e.getClass().getSimpleName() + " " + e.getMessage(),
          e);
    }
    if (properties == null) {
      throw new ModelFileException(
          anyEntry
              ? "not an echo-lstm model file: "
                  + name
                  + " is a zip without an "
                  + ENTRY
                  + " entry (models are saved by the sweep with model.save)"
              : "not an echo-lstm model file: " + name + " is not a zip archive");
    }
    ModelInfo info;
    try {
      info = ModelInfo.fromProperties(properties);
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(
          "corrupt model file " + name + ": bad " + ENTRY + " entry: " + e.getMessage(), e);
    }
    MultiLayerNetwork network;
    try {
      network = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
    } catch (OutOfMemoryError e) {
      // A parameter array whose header claims more than the file holds: one failed allocation.
      throw new ModelFileException(
          "not a model this job saved: DL4J cannot restore the network of "
              + name
              + " ("
              + firstLine(e)
              + ")",
          e);
    } catch (IOException | RuntimeException e) {
      throw new ModelFileException(
          "corrupt model file " + name + ": DL4J cannot restore the network (" + firstLine(e) + ")",
          e);
    }
    long inputs = inputWidth(network);
    if (info.variant().marksWindowStarts(info.window()) && inputs == info.values()) {
      throw new ModelFileException(
          "model file "
              + name
              + " is a "
              + info.variant().id()
              + " model saved before window-start markers were added to its input: this version"
              + " cannot feed it; train the point again");
    }
    if (inputs != info.variant().inputs(info.values(), info.window())) {
      throw new ModelFileException(
          "corrupt model file "
              + name
              + ": the network reads "
              + inputs
              + " features per step but "
              + ENTRY
              + " says "
              + info.variant().id()
              + " with values="
              + info.values());
    }
    return new Saved(network, info);
  }

  /** The one-hot width the network's first layer reads. */
  static long inputWidth(MultiLayerNetwork network) {
    Layer first = network.getLayerWiseConfigurations().getConf(0).getLayer();
    while (first instanceof BaseWrapperLayer w) {
      first = w.getUnderlying();
    }
    return first instanceof FeedForwardLayer f ? f.getNIn() : -1;
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
    int newline = m.indexOf('\n');
    m = newline < 0 ? m : m.substring(0, newline);
    return m.length() > 200 ? m.substring(0, 200) + " ..." : m;
  }
}
