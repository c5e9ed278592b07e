package io.statefulroute.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void loadedScript_isPreludePlusFile_withItsSha() throws IOException {
    LuaScript s = Scripts.LINK_SET_IF_ABSENT;
    assertThat(s.file()).isEqualTo("link_set_if_absent.lua"); // a script is named by its file
    assertThat(s.body()).startsWith(Files.readString(LUA.resolve("_prelude.lua")));
    assertThat(s.body()).endsWith(Files.readString(LUA.resolve("link_set_if_absent.lua")));
    assertThat(s.sha()).hasSize(40).isEqualTo(LuaScript.sha1(s.body()));
  }

  @Test
  void scriptWithAShebang_isLoadedAsIs_shebangFirst() throws IOException {
    LuaScript s = Scripts.READ_VALUES;
    assertThat(s.body())
        .isEqualTo(Files.readString(LUA.resolve("read_values.lua")))
        .startsWith("#!lua flags=no-writes,allow-cross-slot-keys\n");
  }
}
