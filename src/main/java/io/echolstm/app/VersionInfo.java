package io.echolstm.app;

import io.echolstm.results.Provenance;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: this project's version and the versions of what it runs on. */
final class VersionInfo implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "echo-lstm " + projectVersion(),
      "Spark " + sparkVersion() + ", DL4J " + Provenance.readDl4jVersion(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }

  /** The version the build wrote into version.properties. */
  static String projectVersion() {
    return Provenance.resourceVersion("/io/echolstm/app/version.properties");
  }

  /**
   * Spark's version constant, from its package object ({@code org.apache.spark.package$}, a name
   * Java source cannot spell); "unknown" when Spark is not on the classpath.
   */
  static String sparkVersion() {
    try {
      Class<?> pkg = Class.forName("org.apache.spark.package$");
      Object module = pkg.getField("MODULE$").get(null);
      return String.valueOf(pkg.getMethod("SPARK_VERSION").invoke(module));
    } catch (ReflectiveOperationException | LinkageError e) {
      return "unknown";
    }
  }
}
