package io.statefulroute.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One Lua script as loaded into Redis: the helpers of the shared prelude that the script calls
 * ({@link LuaPrelude}) followed by the script file, and the SHA1 that EVALSHA names it by.
 *
 * <p>Internal, not API: may change.
 *
 * <p>A script is identified by its file, not by an operation: one script may serve several
 * operations ({@code link_set_if_absent.lua} serves {@code setLinkIfAbsent} and {@code
 * setLinkIfAbsentLease}, {@code read_values.lua} the batch reads). The executor's errors name the
 * {@link io.statefulroute.core.StatefulExecutor.Operation} that was called (its {@code tag()}, see
 * {@link BoundedCommands}), never the script.
 *
 * @param file the script's file name under {@code lua/}, e.g. {@code link_set_if_absent.lua}
 * @param body the full script text
 * @param sha lowercase hex SHA1 of {@code body}
 */
public record LuaScript(String file, String body, String sha) {
  private static final String BASE = "/io/statefulroute/redis/lua/";
  private static final LuaPrelude PRELUDE = LuaPrelude.parse(read("_prelude.lua"));

  /**
   * Loads {@code lua/<file>} from the classpath, with the prelude's helpers it calls prepended. A
   * script that starts with a shebang ({@code #!lua flags=...}, Redis >= 7.0) keeps it as its first
   * line, as Redis requires, and gets no helper: such scripts are self-contained.
   *
   * @throws IllegalStateException when the script calls an {@code sr_} function the prelude does
   *     not define
   */
  public static LuaScript load(String file) {
    String text = read(file);
    String body = text.startsWith("#!") ? text : PRELUDE.helpersFor(file, text) + text;
    return new LuaScript(file, body, sha1(body));
  }

  private static String read(String file) {
    try (InputStream in = LuaScript.class.getResourceAsStream(BASE + file)) {
      if (in == null) {
        throw new IllegalStateException("Lua script missing from the classpath: " + BASE + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lua script " + file, e);
    }
  }

  static String sha1(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(40);
      for (byte b : digest) {
        sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 not available", e);
    }
  }
}
