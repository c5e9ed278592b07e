package io.statefulroute.redis.internal;

import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A command written as RESP on the calling thread: an array of bulk strings, the command's name,
 * then (for a script) the script's SHA or body and the key count, then the keys and the other
 * arguments, each string in UTF-8 as {@code String.getBytes} writes it, which is what Lettuce's
 * {@code StringCodec.UTF8} writes for every string the executor accepts. {@link DirectCommands}
 * hands Lettuce its commands this way: the event loop, which bounds the throughput, then copies one
 * array per command into the connection's buffer. Lettuce encodes a {@code String} argument there,
 * at write time, through a temporary pooled buffer (the UTF-8 codec cannot size a string exactly
 * beforehand) and writes each length through {@code Long.toString}: at 256 batch reads in flight
 * that took 47 % of the event loop's samples and a quarter of the bytes allocated
 * (benchmarks/README.md, run M).
 *
 * <p>Internal, not API: may change.
 */
final class RespCommand {
  private final byte[] out;
  private int at;

  private RespCommand(int size) {
    this.out = new byte[size];
  }

  /**
   * {@code type}, then {@code script} and the number of keys when {@code script} is not null, then
   * {@code keys} and {@code values}.
   */
  static byte[] encode(
      ProtocolKeyword type, @Nullable String script, String[] keys, String[] values) {
    int count = 1 + keys.length + values.length + (script == null ? 0 : 2);
    // each string through String.getBytes: for the usual ASCII text, a vectorised check and copy
    byte[][] parts = new byte[count][];
    int p = 0;
    parts[p++] = type.getBytes();
    if (script != null) {
      parts[p++] = script.getBytes(StandardCharsets.UTF_8);
      parts[p++] = Integer.toString(keys.length).getBytes(StandardCharsets.US_ASCII);
    }
    for (String k : keys) {
      parts[p++] = k.getBytes(StandardCharsets.UTF_8);
    }
    for (String v : values) {
      parts[p++] = v.getBytes(StandardCharsets.UTF_8);
    }
    int size = 1 + digits(count) + 2;
    for (byte[] part : parts) {
      size += 1 + digits(part.length) + 2 + part.length + 2;
    }
    RespCommand w = new RespCommand(size);
    w.out[w.at++] = '*';
    w.number(count);
    w.crlf();
    for (byte[] part : parts) {
      w.out[w.at++] = '$';
      w.number(part.length);
      w.crlf();
      System.arraycopy(part, 0, w.out, w.at, part.length);
      w.at += part.length;
      w.crlf();
    }
    return w.out;
  }

  private static int digits(int n) {
    int d = 1;
    for (int v = n; v >= 10; v /= 10) {
      d++;
    }
    return d;
  }

  private void number(int n) {
    int d = digits(n);
    int v = n;
    for (int i = at + d - 1; i >= at; i--) {
      out[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    at += d;
  }

  private void crlf() {
    out[at++] = '\r';
    out[at++] = '\n';
  }
}
