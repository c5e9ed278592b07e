package io.statefulroute.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation stays in shape: the README is a short front page (at most {@value #MAX_LINES}
 * lines) that keeps the two set-up commands verbatim and links every page under {@code docs/}, and
 * every relative link of {@code README.md} and {@code docs/*.md} names a file that exists (and, for
 * a Markdown file, a heading that exists, by GitHub's anchor rules).
 *
 * <p>The link checker also runs once on pages that break it, so a checker that can no longer fail
 * fails this test.
 */
class DocsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final int MAX_LINES = 250;

  /** The set-up commands, exactly as a newcomer copies them (README, "Set up"). */
  private static final List<String> SET_UP_COMMANDS =
      List.of(
          "mvn -q -B install -DskipTests && mvn -q -B -pl benchmarks exec:java", "mvn -B verify");

  /**
   * Pages the README links that other branches are writing at the same time; a link to one of them
   * is not checked while the file is missing. Remove each entry once its page is merged.
   */
  private static final Set<String> PENDING = Set.of();

  private static final Pattern LINK =
      Pattern.compile("\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

  @Test
  void readme_isAShortFrontPage() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
    assertThat(lines.size()).as("README.md lines").isLessThanOrEqualTo(MAX_LINES);
  }

  @Test
  void readme_keepsTheTwoSetUpCommandsVerbatim() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
    int section = lines.indexOf("## Set up (a fresh machine with JDK 17 and Maven)");
    assertThat(section).as("the set-up section").isNotNegative();
    int open = lines.subList(section, lines.size()).indexOf("```bash") + section;
    int close = lines.subList(open + 1, lines.size()).indexOf("```") + open + 1;
    assertThat(open).as("the set-up code block").isGreaterThan(section);
    assertThat(lines.subList(open + 1, close)).containsSubsequence(SET_UP_COMMANDS);
  }

  @Test
  void readme_linksEveryDocsPage() throws IOException {
    Set<String> linked =
        links(ROOT.resolve("README.md")).stream()
            .map(link -> link.split("#", 2)[0])
            .collect(Collectors.toSet());
    try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
      List<String> docs =
          pages.map(p -> "docs/" + p.getFileName()).filter(name -> name.endsWith(".md")).toList();
      assertThat(docs).isNotEmpty();
      assertThat(linked).containsAll(docs);
    }
  }

  @Test
  void everyRelativeLink_namesAnExistingFileAndHeading() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages) {
      for (String link : links(page)) {
        checked++;
        broken.addAll(check(page, link, PENDING));
      }
    }
    assertThat(checked).as("links checked").isGreaterThan(50);
    assertThat(broken).isEmpty();
  }

  @Test
  void linkChecker_reportsMissingFilesAndHeadings(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(
        dir.resolve("docs/b.md"),
        """
        # Title

        ## A `code` (heading)

        ## A code heading
        """);
    Path page = dir.resolve("README.md");
    Files.writeString(
        page,
        """
        # Top
        [ok](docs/b.md#a-code-heading) [ok](docs/b.md#a-code-heading-1) [ok](#top)
        [ok](https://example.com/x) [`ok`](docs/b.md) [pending](docs/later.md)
        [gone](docs/missing.md) [no heading](docs/b.md#nothing) [no anchor](#none)
        ```
        [inside a code block](not/checked.md)
        ```
        """);
    List<String> broken = new ArrayList<>();
    for (String link : links(page)) {
      broken.addAll(check(dir, page, link, Set.of("docs/later.md")));
    }
    assertThat(broken)
        .containsExactly(
            "README.md: docs/missing.md: no such file",
            "README.md: docs/b.md#nothing: no such heading",
            "README.md: #none: no such heading");
  }

  /** The link targets of a Markdown page, outside fenced code blocks. */
  private static List<String> links(Path page) throws IOException {
    List<String> out = new ArrayList<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(page)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced) {
        Matcher m = LINK.matcher(line);
        while (m.find()) {
          out.add(m.group(2));
        }
      }
    }
    return out;
  }

  private static List<String> check(Path page, String link, Set<String> pending)
      throws IOException {
    return check(ROOT, page, link, pending);
  }

  /** What is wrong with one link of {@code page} (empty when nothing is). */
  private static List<String> check(Path root, Path page, String link, Set<String> pending)
      throws IOException {
    if (link.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      return List.of(); // http:, https:, mailto:: not a file of the repository
    }
    String name = root.relativize(page).toString().replace('\\', '/');
    String[] parts = link.split("#", 2);
    Path target = parts[0].isEmpty() ? page : page.getParent().resolve(parts[0]).normalize();
    String relative = root.relativize(target).toString().replace('\\', '/');
    if (!target.startsWith(root)) {
      return List.of(name + ": " + link + ": outside the repository");
    }
    if (!Files.exists(target)) {
      return pending.contains(relative)
          ? List.of()
          : List.of(name + ": " + link + ": no such file");
    }
    if (parts.length == 2 && target.toString().endsWith(".md")) {
      if (!anchors(target).contains(parts[1])) {
        return List.of(name + ": " + link + ": no such heading");
      }
    }
    return List.of();
  }

  /** The anchors GitHub gives the headings of a Markdown file. */
  private static Set<String> anchors(Path file) throws IOException {
    Set<String> out = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      Matcher m = HEADING.matcher(line);
      if (fenced || !m.matches()) {
        continue;
      }
      String text = LINK.matcher(m.group(1)).replaceAll("$1");
      String slug =
          text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
      int n = seen.merge(slug, 1, Integer::sum);
      out.add(n == 1 ? slug : slug + "-" + (n - 1));
    }
    return out;
  }
}
