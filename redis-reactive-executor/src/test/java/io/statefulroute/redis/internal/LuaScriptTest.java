package io.statefulroute.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The scripts on the classpath are the ones in lua/, each documented in its header and README. */
class LuaScriptTest {
  private static final Path LUA = Path.of("..", "lua");

  @Test
  void everyScript_hasItsHeaderAndAReadmeRow() throws IOException {
    String readme = Files.readString(LUA.resolve("README.md"));
    List<Path> scripts;
    try (Stream<Path> files = Files.list(LUA)) {
      scripts =
          files
              .filter(p -> p.toString().endsWith(".lua"))
              .filter(p -> !p.getFileName().toString().startsWith("_"))
              .collect(Collectors.toList());
    }
    assertThat(scripts).hasSize(19);
    for (Path script : scripts) {
      String text = Files.readString(script);
      if (text.startsWith("#!")) { // the shebang line must come first; the header follows it
        text = text.substring(text.indexOf('\n') + 1);
      }
      String name = script.getFileName().toString();
      assertThat(text).as(name).startsWith("-- " + name + ":");
      assertThat(text).as(name).contains("-- KEYS[1]", "-- Reply:", "-- Errors:");
      assertThat(readme).as(name).contains("`" + name + "`");
    }
  }

  @Test
  void loadedScript_isItsHelpersPlusFile_withItsSha() throws IOException {
    LuaScript s = Scripts.LINK_SET_IF_ABSENT;
    assertThat(s.file()).isEqualTo("link_set_if_absent.lua"); // a script is named by its file
    String file = Files.readString(LUA.resolve("link_set_if_absent.lua"));
    assertThat(s.body()).endsWith(file).startsWith("-- Raises the error reply");
    String prelude = Files.readString(LUA.resolve("_prelude.lua"));
    for (String helper : s.body().substring(0, s.body().length() - file.length()).split("\n\n")) {
      assertThat(prelude).as("a helper as the prelude has it").contains(helper.strip());
    }
    assertThat(s.sha()).hasSize(40).isEqualTo(LuaScript.sha1(s.body()));
  }

  @Test
  void everyLoadedScript_definesExactlyTheHelpersItCalls() throws IllegalAccessException {
    Pattern definition = Pattern.compile("(?m)^local function (sr_\\w+)\\(");
    Pattern call = Pattern.compile("\\b(sr_\\w+)\\s*\\(");
    int scripts = 0;
    for (Field field : Scripts.class.getFields()) {
      LuaScript script = (LuaScript) field.get(null);
      String code = script.body().replaceAll("--[^\\n]*", "");
      Set<String> defined = new TreeSet<>();
      definition.matcher(code).results().forEach(m -> defined.add(m.group(1)));
      Set<String> called = new TreeSet<>();
      call.matcher(definition.matcher(code).replaceAll("local function ("))
          .results()
          .forEach(m -> called.add(m.group(1)));
      assertThat(defined).as(script.file()).isEqualTo(called);
      scripts++;
    }
    assertThat(scripts).isEqualTo(19);
    assertThat(Scripts.LINK_GET_LEASE.body()).doesNotContain("sr_write", "sr_announce");
  }

  @Test
  void prelude_refusesALineOutsideAHelper_andACallToNoHelper() {
    String helper = "-- doc\nlocal function sr_a(x)\n  return x\nend\n";
    assertThat(LuaPrelude.parse(helper).helpersFor("s.lua", "return sr_a(1)"))
        .isEqualTo(helper + "\n");
    assertThat(LuaPrelude.parse(helper).helpersFor("s.lua", "return 1 -- sr_a(1)")).isEmpty();
    assertThatThrownBy(() -> LuaPrelude.parse(helper + "local x = 1\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outside any helper");
    assertThatThrownBy(() -> LuaPrelude.parse("local function sr_b()\n  return 1\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no closing 'end'");
    assertThatThrownBy(() -> LuaPrelude.parse(helper).helpersFor("s.lua", "return sr_c()"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("s.lua calls sr_c, not in _prelude.lua");
  }

  @Test
  void scriptWithAShebang_isLoadedAsIs_shebangFirst() throws IOException {
    LuaScript s = Scripts.READ_VALUES;
    assertThat(s.body())
        .isEqualTo(Files.readString(LUA.resolve("read_values.lua")))
        .startsWith("#!lua flags=no-writes,allow-cross-slot-keys\n");
  }
}
