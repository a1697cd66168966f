package io.echolstm.results;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;

/**
 * Where a result was computed: master, library versions and platform (floating-point results differ
 * across CPUs and BLAS builds). Each component's {@link ColumnDoc} is its meaning.
 */
public record Provenance(
    @ColumnDoc("the Spark master the run used") String master,
    @ColumnDoc("Spark's version") String sparkVersion,
    @ColumnDoc("DL4J's version") String dl4jVersion,
    @ColumnDoc("the driver's Java version") String javaVersion,
    @ColumnDoc("the driver's operating system") String osName,
    @ColumnDoc("the driver's CPU architecture") String osArch) {

  public static Provenance of(SparkSession spark) {
    return new Provenance(
        spark.sparkContext().master(),
        spark.version(),
        readDl4jVersion(),
        System.getProperty("java.version"),
        System.getProperty("os.name"),
        System.getProperty("os.arch"));
  }

  /** DL4J's version from its Maven metadata, which the shaded jar keeps. */
  public static String readDl4jVersion() {
    return resourceVersion("/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties");
  }

  /** The {@code version} of a properties file on the classpath, or "unknown". */
  public static String resourceVersion(String resource) {
    try (InputStream in = Provenance.class.getResourceAsStream(resource)) {
      if (in == null) {
        return "unknown";
      }
      Properties props = new Properties();
      props.load(in);
      return props.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
