package io.statefulroute.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bytes sent on this machine's TCP connections to or from some ports, from the kernel's per-socket
 * counters ({@code ss -tinH}, Linux's iproute2: {@code bytes_sent} of each established socket). On
 * loopback both ends of a connection are listed, each with what it sent, so the sum is the traffic
 * of both directions, counted once.
 */
final class SocketBytes {
  private static final Pattern ADDRESSES = Pattern.compile("^\\S.*?:(\\d+)\\s+\\S+:(\\d+)\\b");
  private static final Pattern SENT = Pattern.compile("bytes_sent:(\\d+)");

  private SocketBytes() {}

  /** The bytes sent so far on every established connection with an end on one of {@code ports}. */
  static long sentOnPorts(Set<Integer> ports) {
    String out;
    try {
      Process ss = new ProcessBuilder("ss", "-tinH", "state", "established").start();
      out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      ss.waitFor();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run ss (iproute2) to read socket counters", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    long total = 0;
    boolean counted = false;
    for (String line : out.split("\n")) {
      Matcher a = ADDRESSES.matcher(line);
      if (a.find()) {
        counted =
            ports.contains(Integer.parseInt(a.group(1)))
                || ports.contains(Integer.parseInt(a.group(2)));
        continue;
      }
      Matcher s = SENT.matcher(line);
      if (counted && s.find()) {
        total += Long.parseLong(s.group(1));
        counted = false;
      }
    }
    return total;
  }
}
