package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lettuce.core.RedisClient;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.spi.Args;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Random invalid arguments (seeded, {@link RandomInputs}): every call throws {@link
 * IllegalArgumentException} at call time, and Redis saw no command at all: its {@code INFO
 * commandstats} counters of every command the executor sends are unchanged.
 */
class InvalidArgumentsIT {

  @Test
  void randomInvalidArguments_throwAtCallTime_andRedisSeesNoCommand() {
    try (RedisProcess server = RedisServers.startStandalone()) {
      RedisClient client = RedisClient.create(server.uri());
      try (RedisStatefulExecutor ex = RedisStatefulExecutor.create(client)) {
        ex.setLink("ns", "warm", "svc", 1, -1).block(Duration.ofSeconds(5)); // connected
        Map<String, String> before = commandStats(server);
        RandomInputs in = new RandomInputs(21);
        int thrown = 0;
        for (int i = 0; i < 5000; i++) {
          Map.Entry<String, Supplier<Mono<?>>> call = invalidCall(ex, in);
          assertThat(catchThrowable(() -> call.getValue().get()))
              .as("case %d (seed %d): %s", i, RandomInputs.SEED, call.getKey())
              .isInstanceOf(IllegalArgumentException.class);
          thrown++;
        }
        assertThat(ex.inFlightCommands()).isZero();
        assertThat(commandStats(server))
            .as("commands Redis executed during %d bad calls", thrown)
            .isEqualTo(before);
      } finally {
        client.shutdown();
      }
    }
  }

  /** One call with exactly one invalid argument, chosen at random. */
  private static Map.Entry<String, Supplier<Mono<?>>> invalidCall(
      StatefulExecutor ex, RandomInputs in) {
    String ns = in.name();
    String uid = in.uid();
    String svc = in.name();
    int pod = in.pod();
    long ttl = in.ttl();
    int which = in.random().nextInt(6);
    String badText = badText(in, which == 1 ? Args.MAX_UID_LENGTH : Args.MAX_NAME_LENGTH);
    if (which == 0) {
      ns = badText;
    } else if (which == 1) {
      uid = badText;
    } else if (which == 2) {
      svc = badText;
    } else if (which == 3) {
      pod = -1 - in.random().nextInt(Integer.MAX_VALUE);
    } else if (which == 4) {
      ttl =
          switch (in.random().nextInt(3)) {
            case 0 -> 0;
            case 1 -> -2 - in.random().nextInt(1_000_000);
            default -> Args.MAX_TTL_SECONDS + 1 + in.random().nextInt(1_000_000);
          };
    }
    final String n = ns;
    final String u = uid;
    final String s = svc;
    final int p = pod;
    final long t = ttl;
    boolean textBad = which <= 2;
    List<Supplier<Mono<?>>> calls =
        new ArrayList<>(
            List.of(
                () -> ex.setLink(n, u, s, p, t),
                () -> ex.setLinkIfAbsent(n, u, s, p, t),
                () -> ex.claimLink(n, u, s, p, t),
                () -> ex.replaceLink(n, u, s, p, 0, t),
                () -> ex.replaceLink(n, u, s, 0, p, t)));
    if (which == 5) {
      // the argument kinds the link writes above do not take
      calls.clear();
      calls.addAll(
          List.of(
              () -> ex.removeLink(n, u, s, Duration.ofMillis(-1 - in.random().nextInt(1000))),
              () -> ex.removeLink(n, u, s, null),
              () -> ex.removeLinkIfOwner(n, u, s, -1, Duration.ZERO),
              () -> ex.batchGetLinks(n, Arrays.asList(u, null), s),
              () -> ex.batchGetLinks(n, null, s),
              () -> ex.publishState(n, s, null, Duration.ofMinutes(1)),
              () ->
                  ex.publishState(
                      n, s, new PodStatus(0, 0, RoutingState.READY, "a"), Duration.ZERO),
              () -> ex.setWorkloadState(n, s, "w".repeat(Args.MAX_WORKLOAD_LENGTH + 1)),
              () -> ex.setWorkloadState(n, s, null),
              () -> ex.batchGetWorkloadStates(n, null)));
    } else if (textBad) {
      calls.addAll(
          List.of(
              () -> ex.getLink(n, u, s),
              () -> ex.getLinkIfPersistent(n, u, s),
              () -> ex.removeLink(n, u, s, Duration.ZERO),
              () -> ex.removeLinkIfOwner(n, u, s, 0, Duration.ZERO),
              () -> ex.batchGetLinks(n, Arrays.asList("ok", u), s)));
      if (which != 2) {
        calls.add(() -> ex.getLinkIndex(n, u));
      }
      if (which != 1) {
        calls.addAll(
            List.of(
                () ->
                    ex.publishState(
                        n, s, new PodStatus(0, 0, RoutingState.READY, "a"), Duration.ofMinutes(1)),
                () -> ex.readState(n, s),
                () -> ex.setWorkloadState(n, s, "ready"),
                () -> ex.getWorkloadState(n, s),
                () -> ex.batchGetWorkloadStates(n, Arrays.asList("ok", s))));
      }
    }
    if (which == 0 || which == 2 || which == 3) { // a listing takes no uid and no TTL
      calls.add(() -> Mono.from(ex.listPersistentLinks(n, s, p)));
    }
    int chosen = in.random().nextInt(calls.size());
    String bad =
        which <= 2
            ? describe(badText)
            : which == 3 ? "pod " + pod : which == 4 ? "ttl " + ttl : "other";
    return Map.entry("argument " + which + " (" + bad + "), call " + chosen, calls.get(chosen));
  }

  private static String describe(String text) {
    return text == null
        ? "null"
        : "length "
            + text.length()
            + " "
            + text.substring(0, Math.min(20, text.length()))
                .chars()
                .mapToObj(c -> Integer.toHexString(c))
                .toList();
  }

  /** Null, empty, one past the limit, or with an unpaired surrogate. */
  private static String badText(RandomInputs in, int max) {
    return switch (in.random().nextInt(4)) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> "x".repeat(max + 1 + in.random().nextInt(100));
      default -> {
        String s = in.text(1 + in.random().nextInt(8));
        int at = in.random().nextInt(s.length() + 1);
        yield s.substring(0, at)
            + (in.random().nextBoolean() ? '\uD800' : '\uDC00')
            + s.substring(at);
      }
    };
  }

  /** {@code cmdstat_<command>} -> {@code calls=...} of every command that has run. */
  private static Map<String, String> commandStats(RedisProcess server) {
    Map<String, String> stats = new TreeMap<>();
    for (String line : server.redisCli("INFO", "commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")) {
        stats.put(
            line.substring(0, line.indexOf(':')),
            line.substring(line.indexOf(':') + 1, line.indexOf(',')));
      }
    }
    return stats;
  }
}
