package io.statefulroute.redis.internal;

import io.lettuce.core.protocol.ProtocolKeyword;
import org.jspecify.annotations.Nullable;

/**
 * A command written as RESP on the calling thread: an array of bulk strings, the command's name,
 * then (for a script) the script's SHA or body and the key count, then the keys and the other
 * arguments, each string in UTF-8 exactly as Lettuce's {@code StringCodec.UTF8} writes it (an
 * unpaired surrogate, which the executor refuses before, as {@code ?}). {@link DirectCommands}
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
  private static final byte[] CRLF = {'\r', '\n'};

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
    byte[] name = type.getBytes();
    String keyCount = Integer.toString(keys.length);
    int count = 1 + keys.length + values.length + (script == null ? 0 : 2);
    int size = 1 + digits(count) + 2 + bulkSize(name.length);
    if (script != null) {
      size += bulkSize(utf8Length(script)) + bulkSize(keyCount.length());
    }
    for (String k : keys) {
      size += bulkSize(utf8Length(k));
    }
    for (String v : values) {
      size += bulkSize(utf8Length(v));
    }
    RespCommand w = new RespCommand(size);
    w.out[w.at++] = '*';
    w.number(count);
    w.crlf();
    w.bulk(name);
    if (script != null) {
      w.bulk(script);
      w.bulk(keyCount);
    }
    for (String k : keys) {
      w.bulk(k);
    }
    for (String v : values) {
      w.bulk(v);
    }
    if (w.at != size) {
      throw new IllegalStateException("RESP size mismatch: " + w.at + " != " + size);
    }
    return w.out;
  }

  /** The bytes of a bulk string of {@code length} bytes: {@code $<length>\r\n<bytes>\r\n}. */
  private static int bulkSize(int length) {
    return 1 + digits(length) + 2 + length + 2;
  }

  private static int digits(int n) {
    int d = 1;
    for (int v = n; v >= 10; v /= 10) {
      d++;
    }
    return d;
  }

  /** The UTF-8 length of {@code s}; an unpaired surrogate counts as one byte ({@code ?}). */
  static int utf8Length(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 2; // two chars, four bytes
          i++;
        } else if (!Character.isSurrogate(c)) {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  private void bulk(byte[] value) {
    out[at++] = '$';
    number(value.length);
    crlf();
    System.arraycopy(value, 0, out, at, value.length);
    at += value.length;
    crlf();
  }

  private void bulk(String s) {
    out[at++] = '$';
    number(utf8Length(s));
    crlf();
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[at++] = (byte) c;
      } else if (c < 0x800) {
        out[at++] = (byte) (0xC0 | (c >> 6));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out[at++] = (byte) (0xF0 | (cp >> 18));
        out[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[at++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        out[at++] = '?';
      } else {
        out[at++] = (byte) (0xE0 | (c >> 12));
        out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    crlf();
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
    out[at++] = CRLF[0];
    out[at++] = CRLF[1];
  }
}
