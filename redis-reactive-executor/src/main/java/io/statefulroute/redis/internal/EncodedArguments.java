package io.statefulroute.redis.internal;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import java.nio.charset.StandardCharsets;

/**
 * Arguments of the commands Lettuce still encodes itself ({@link BatchReader}'s MGETs and {@code
 * read_values.lua} calls, which go through its reactive commands), encoded on the calling thread as
 * byte arrays: Lettuce writes those straight into the connection's buffer, where a {@code String}
 * key or value is encoded on the event loop through a temporary pooled buffer (see {@link
 * RespCommand}, which {@link DirectCommands} use for the whole command). The first key stays a key
 * argument: Lettuce routes a command by it on a cluster.
 *
 * <p>Internal, not API: may change.
 */
final class EncodedArguments {
  private EncodedArguments() {}

  /** Arguments of {@code keys}: the first as a key, the others as UTF-8 bytes. */
  static CommandArgs<String, String> keys(String[] keys) {
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
    if (keys.length > 0) {
      args.addKey(keys[0]);
    }
    for (int i = 1; i < keys.length; i++) {
      args.add(utf8(keys[i]));
    }
    return args;
  }

  /** {@code s} in UTF-8. */
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
