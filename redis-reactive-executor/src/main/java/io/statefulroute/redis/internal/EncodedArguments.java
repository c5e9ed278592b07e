package io.statefulroute.redis.internal;

import io.lettuce.core.protocol.CommandArgs;
import java.nio.charset.StandardCharsets;

/**
 * The keys and values of a command, encoded on the calling thread as byte arrays, which Lettuce
 * then writes straight into the connection's buffer on the event loop. A key or value handed to
 * Lettuce as a {@code String} is encoded there, at write time, through a temporary pooled buffer
 * per argument ({@code StringCodec.UTF8} cannot size a string exactly beforehand): at 256 batch
 * reads in flight that encoding took 47 % of the samples of the event loop, the thread that bounds
 * the throughput, and 22 % once the keys came encoded (benchmarks/README.md, run M).
 *
 * <p>On a cluster the first key stays a key argument: Lettuce routes a command by its first key.
 *
 * <p>Internal, not API: may change.
 */
final class EncodedArguments {
  private static final String[] NONE = {};

  private EncodedArguments() {}

  /** Adds {@code keys} then {@code values}; the first key as a key when {@code routedByKey}. */
  static CommandArgs<String, String> add(
      CommandArgs<String, String> args, String[] keys, String[] values, boolean routedByKey) {
    int from = 0;
    if (routedByKey && keys.length > 0) {
      args.addKey(keys[0]);
      from = 1;
    }
    for (int i = from; i < keys.length; i++) {
      args.add(utf8(keys[i]));
    }
    for (String value : values) {
      args.add(utf8(value));
    }
    return args;
  }

  /** Adds {@code keys}; the first as a key when {@code routedByKey}. */
  static CommandArgs<String, String> addKeys(
      CommandArgs<String, String> args, String[] keys, boolean routedByKey) {
    return add(args, keys, NONE, routedByKey);
  }

  /** {@code s} in UTF-8. */
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
