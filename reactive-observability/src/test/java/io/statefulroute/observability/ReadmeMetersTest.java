package io.statefulroute.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.observability.analysis.AnalysisRule;
import io.statefulroute.observability.analysis.Rules;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The meter table of docs/observability.md names exactly the meters of {@link StatefulRouteMeters},
 * and its rule table exactly the rule factories of {@link Rules}, each reading documented meters. A
 * renamed meter or rule factory must be renamed there too.
 */
class ReadmeMetersTest {
  private static final Path README = Path.of("..", "docs", "observability.md");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  /** The rows of the table whose header row starts with {@code header}. */
  private static List<String[]> table(List<String> lines, String header) {
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(header)) {
        at = i;
        break;
      }
    }
    assertThat(at).as("docs/observability.md table starting %s", header).isNotNegative();
    List<String[]> rows = new ArrayList<>();
    for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      rows.add(lines.get(i).split("(?<!\\\\)\\|", -1));
    }
    return rows;
  }

  private static List<String> code(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void meterTable_namesExactlyTheDocumentedMeters() throws IOException {
    Set<String> documented = new TreeSet<>();
    for (String[] row : table(Files.readAllLines(README), "| meter | type |")) {
      String base = null;
      for (String name : code(row[1])) {
        if (name.startsWith(".")) { // `a.b.fresh` / `.routable`: siblings of the first name
          documented.add(base.substring(0, base.lastIndexOf('.')) + name);
        } else {
          base = name;
          documented.add(name);
        }
      }
    }
    assertThat(documented)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(StatefulRouteMeters.values())
                .map(StatefulRouteMeters::meterName)
                .collect(Collectors.toSet()));
  }

  @Test
  void ruleTable_namesExactlyTheRuleFactories_readingDocumentedMeters() throws IOException {
    List<String> lines = Files.readAllLines(README);
    Set<String> factories = new TreeSet<>();
    Set<String> meters =
        Arrays.stream(StatefulRouteMeters.values())
            .map(m -> m.meterName().substring("statefulroute.".length()))
            .collect(Collectors.toSet());
    for (String[] row : table(lines, "| rule (`Rules.`) |")) {
      String factory = code(row[1]).get(0);
      factories.add(factory.substring(0, factory.indexOf('(')));
      assertThat(code(row[3]))
          .as("meters read by %s", factory)
          .isNotEmpty()
          .allSatisfy(read -> assertThat(meters).contains(read));
    }
    Set<String> declared = new TreeSet<>();
    for (Method m : Rules.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers())
          && Modifier.isStatic(m.getModifiers())
          && m.getReturnType() == AnalysisRule.class) {
        declared.add(m.getName());
      }
    }
    assertThat(factories).isEqualTo(declared);
  }
}
