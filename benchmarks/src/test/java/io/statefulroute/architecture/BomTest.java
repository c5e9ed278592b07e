package io.statefulroute.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The BOM ({@code stateful-route-bom/pom.xml}) lists every published module: each module of the
 * root pom but the benchmarks, the examples and the BOM itself, plus the Spring Boot starter, each
 * at the project's version. It has no parent, so that importing it manages these modules only and
 * never the project's own choice of Reactor, Lettuce or Micrometer versions.
 */
class BomTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String BOM = "stateful-route-bom";
  private static final String STARTER = "stateful-route-spring-boot-starter";

  /** Modules of the root pom that are not published. */
  private static final Set<String> UNPUBLISHED = Set.of("benchmarks", "examples", BOM);

  @Test
  void bom_listsEveryPublishedModuleAtTheProjectVersion() throws Exception {
    Document root = parse(ROOT.resolve("pom.xml"));
    Set<String> expected = publishedArtifacts(ROOT, root);
    expected.add(STARTER);
    Document bom = parse(ROOT.resolve(BOM).resolve("pom.xml"));

    assertThat(managed(bom)).as("the BOM's managed artifacts").isEqualTo(expected);
    assertThat(text(bom.getDocumentElement(), "version"))
        .as("the BOM's version")
        .isEqualTo(text(root.getDocumentElement(), "version"));
  }

  @Test
  void bom_inheritsNoDependencyManagement() throws Exception {
    Element bom = parse(ROOT.resolve(BOM).resolve("pom.xml")).getDocumentElement();
    assertThat(children(bom, "parent")).as("a parent").isEmpty();
    assertThat(text(bom, "packaging")).isEqualTo("pom");
    for (Element dependency : dependencies(bom)) {
      assertThat(text(dependency, "groupId")).isEqualTo("io.statefulroute");
      assertThat(text(dependency, "version")).isEqualTo("${project.version}");
    }
  }

  @Test
  void check_aModuleMissingFromTheBom_isSeen(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("pom.xml"),
        "<project><version>1</version><modules><module>a</module><module>benchmarks</module>"
            + "</modules></project>");
    Files.createDirectories(dir.resolve("a"));
    Files.writeString(
        dir.resolve("a/pom.xml"), "<project><artifactId>a-core</artifactId></project>");
    assertThat(publishedArtifacts(dir, parse(dir.resolve("pom.xml")))).containsExactly("a-core");
  }

  /** The artifactIds of the root pom's modules, read from each module's own pom. */
  private static Set<String> publishedArtifacts(Path root, Document rootPom)
      throws IOException, SAXException, ParserConfigurationException {
    Set<String> artifacts = new TreeSet<>();
    for (Element modules : children(rootPom.getDocumentElement(), "modules")) {
      for (Element module : children(modules, "module")) {
        String dir = module.getTextContent().trim();
        if (!UNPUBLISHED.contains(dir)) {
          Document pom = parse(root.resolve(dir).resolve("pom.xml"));
          artifacts.add(text(pom.getDocumentElement(), "artifactId"));
        }
      }
    }
    return artifacts;
  }

  private static Set<String> managed(Document bom) {
    Set<String> artifacts = new TreeSet<>();
    for (Element dependency : dependencies(bom.getDocumentElement())) {
      artifacts.add(text(dependency, "artifactId"));
    }
    return artifacts;
  }

  private static List<Element> dependencies(Element project) {
    List<Element> all = new ArrayList<>();
    for (Element management : children(project, "dependencyManagement")) {
      for (Element dependencies : children(management, "dependencies")) {
        all.addAll(children(dependencies, "dependency"));
      }
    }
    return all;
  }

  private static Document parse(Path pom)
      throws IOException, SAXException, ParserConfigurationException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(pom.toFile());
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  private static String text(Element parent, String name) {
    List<Element> found = children(parent, name);
    assertThat(found).as("<%s> of <%s>", name, parent.getTagName()).hasSize(1);
    return found.get(0).getTextContent().trim();
  }
}
