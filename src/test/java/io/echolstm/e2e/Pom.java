package io.echolstm.e2e;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;

/** The project's own coordinates and properties, read from {@code pom.xml} as XML. */
record Pom(String artifactId, String version, Element properties) {
  static Pom read() throws Exception {
    Path pom = SweepProcess.ROOT.resolve("pom.xml");
    Element project =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(pom.toFile())
            .getDocumentElement();
    return new Pom(
        child(project, "artifactId").getTextContent().strip(),
        child(project, "version").getTextContent().strip(),
        child(project, "properties"));
  }

  /** A property of {@code <properties>}. */
  String property(String name) {
    return child(properties, name).getTextContent().strip();
  }

  /** The jar {@code mvn package} builds, relative to the project root. */
  String jar() {
    return "target/" + artifactId + "-" + version + ".jar";
  }

  /** A direct child element (not one nested deeper, such as a dependency's artifactId). */
  private static Element child(Element parent, String name) {
    for (var n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("pom.xml has no <" + name + "> in <" + parent.getTagName() + ">");
  }
}
