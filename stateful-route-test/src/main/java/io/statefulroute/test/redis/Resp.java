package io.statefulroute.test.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One Redis command over a fresh plain TCP connection speaking RESP2: enough to probe and
 * administer the throwaway servers without a Redis client library.
 */
final class Resp {

  /** Connect and read timeout of one call. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** An error reply ({@code -ERR ...}): returned, not thrown, so callers decide. */
  record ErrorReply(String message) {}

  private Resp() {}

  /**
   * Sends one command and reads its reply.
   *
   * @return a {@code String} (simple or bulk string), {@code Long}, {@code List<Object>}, {@link
   *     ErrorReply}, or {@code null} (nil)
   * @throws UncheckedIOException when the server cannot be reached or the reply is malformed
   */
  static @Nullable Object call(String host, int port, String... args) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      out.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (String arg : args) {
        byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
        out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write('\r');
        out.write('\n');
      }
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Redis " + host + ":" + port + " " + String.join(" ", args) + ": " + e, e);
    }
  }

  /**
   * Sends one command whose reply is a (simple or bulk) string.
   *
   * @throws IllegalStateException on an error reply or a reply of another type
   * @throws UncheckedIOException when the server cannot be reached
   */
  static String callString(String host, int port, String... args) {
    Object reply = call(host, port, args);
    if (reply instanceof String s) {
      return s;
    }
    throw new IllegalStateException(
        "Redis "
            + host
            + ":"
            + port
            + " "
            + String.join(" ", args)
            + " replied "
            + reply
            + " instead of a string");
  }

  /** The value of {@code field} in an INFO-style {@code field:value} text, or {@code null}. */
  static @Nullable String infoField(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    return null;
  }

  private static @Nullable Object read(InputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed before a reply");
    }
    String line = readLine(in);
    switch (type) {
      case '+' -> {
        return line;
      }
      case '-' -> {
        return new ErrorReply(line);
      }
      case ':' -> {
        return Long.parseLong(line);
      }
      case '$' -> {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length + 2);
        if (bytes.length != length + 2) {
          throw new EOFException("truncated bulk string");
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read(in));
        }
        return items;
      }
      default -> throw new IOException("unexpected RESP type '" + (char) type + "' " + line);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside a reply");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = buffer.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      buffer.write(b);
      previous = b;
    }
  }
}
