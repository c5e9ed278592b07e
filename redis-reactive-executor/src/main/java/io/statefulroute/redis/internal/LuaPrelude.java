package io.statefulroute.redis.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The helpers of {@code _prelude.lua}, and the ones a script needs: those it calls, directly or
 * through another helper. Lua creates every {@code local function} of a script each time the script
 * runs, so a loaded script defines only what it calls (see {@code lua/README.md}, costs).
 *
 * <p>Internal, not API: may change.
 *
 * <p>A helper is the comment block just above a line {@code local function sr_<name>(...)} and the
 * lines down to the first one that is exactly {@code end}. Blank lines and the file's header
 * comment belong to no helper; any other line outside a helper is refused, so that nothing the
 * prelude holds is silently dropped.
 */
final class LuaPrelude {
  private static final Pattern DEFINITION = Pattern.compile("^local function (sr_\\w+)\\(");
  private static final Pattern CALL = Pattern.compile("\\b(sr_\\w+)\\s*\\(");

  /** Name to text (comment and code), in the file's order: a helper calls only earlier ones. */
  private final Map<String, String> helpers;

  private LuaPrelude(Map<String, String> helpers) {
    this.helpers = helpers;
  }

  /** Splits {@code prelude} into its helpers. */
  static LuaPrelude parse(String prelude) {
    Map<String, String> helpers = new LinkedHashMap<>();
    List<String> comment = new ArrayList<>();
    StringBuilder helper = null;
    String name = null;
    for (String line : prelude.split("\n", -1)) {
      if (helper != null) {
        helper.append(line).append('\n');
        if (line.equals("end")) {
          helpers.put(name, helper.toString());
          helper = null;
        }
        continue;
      }
      Matcher definition = DEFINITION.matcher(line);
      if (definition.find()) {
        name = definition.group(1);
        if (helpers.containsKey(name)) {
          throw new IllegalStateException("_prelude.lua defines " + name + " twice");
        }
        StringBuilder started = new StringBuilder();
        comment.forEach(c -> started.append(c).append('\n'));
        started.append(line).append('\n');
        helper = started;
      } else if (line.startsWith("--")) {
        comment.add(line);
        continue;
      } else if (!line.isBlank()) {
        throw new IllegalStateException("_prelude.lua: a line outside any helper: " + line);
      }
      comment.clear();
    }
    if (helper != null) {
      throw new IllegalStateException("_prelude.lua: " + name + " has no closing 'end' line");
    }
    return new LuaPrelude(helpers);
  }

  /** The helpers {@code script} needs, in the prelude's order, as one text. */
  String helpersFor(String file, String script) {
    Set<String> needed = new TreeSet<>();
    Deque<String> pending = new ArrayDeque<>(calls(script));
    while (!pending.isEmpty()) {
      String called = pending.pop();
      String text = helpers.get(called);
      if (text == null) {
        throw new IllegalStateException(file + " calls " + called + ", not in _prelude.lua");
      }
      if (needed.add(called)) {
        pending.addAll(calls(text));
      }
    }
    StringBuilder out = new StringBuilder();
    helpers.forEach(
        (helperName, text) -> {
          if (needed.contains(helperName)) {
            out.append(text).append('\n');
          }
        });
    return out.toString();
  }

  /** The {@code sr_} functions that {@code lua} calls, comments and definitions left out. */
  static Set<String> calls(String lua) {
    Set<String> called = new TreeSet<>();
    for (String line : lua.split("\n", -1)) {
      int comment = line.indexOf("--");
      String code = comment < 0 ? line : line.substring(0, comment);
      Matcher definition = DEFINITION.matcher(code);
      if (definition.find()) {
        code = code.substring(definition.end());
      }
      Matcher call = CALL.matcher(code);
      while (call.find()) {
        called.add(call.group(1));
      }
    }
    return called;
  }
}
