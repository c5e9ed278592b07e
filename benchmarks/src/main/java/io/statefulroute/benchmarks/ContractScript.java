package io.statefulroute.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A script of the Redis contract as the executor sends it, read from where the executor's jar ships
 * the {@code lua/} directory ({@code io/statefulroute/redis/lua/}, see {@code lua/README.md}): the
 * shared prelude, then the script's file; a script that starts with a shebang is sent as it is. The
 * raw-Lettuce baseline sends this text itself, so that it measures the very script the executor
 * runs ({@code ContractScriptTest} holds the two equal).
 */
final class ContractScript {
  private static final String BASE = "/io/statefulroute/redis/lua/";

  private ContractScript() {}

  /** The text of {@code lua/<file>} as the executor sends it. */
  static String body(String file) {
    String text = read(file);
    return text.startsWith("#!") ? text : read("_prelude.lua") + "\n" + text;
  }

  private static String read(String file) {
    try (InputStream in = ContractScript.class.getResourceAsStream(BASE + file)) {
      if (in == null) {
        throw new IllegalStateException("no " + BASE + file + " on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + BASE + file, e);
    }
  }
}
