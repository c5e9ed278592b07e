package io.statefulroute.benchmarks;

import io.statefulroute.core.RoutingState;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.placement.PodSelectors;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.core.state.StateCacheOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The README's first command: a small deployment on the embedded (in-memory) executor, in virtual
 * time so it runs in a second and gives the same output for the same seed. Pods publish their
 * load (their number of linked users); two gateways place users; then a pod drains and another
 * shuts down, and the demo shows where users went and that the gateways agree.
 *
 * <p>Options: {@code --pods K} (4), {@code --users U} (10000), {@code --seed S} (42).
 */
public final class Demo {
  private static final String NS = "demo";
  private static final String SVC = "game";

  private Demo() {}

  public static void main(String[] args) {
    Map<String, String> opts = parse(args);
    int pods = Integer.parseInt(opts.getOrDefault("pods", "4"));
    int users = Integer.parseInt(opts.getOrDefault("users", "10000"));
    long seed = Long.parseLong(opts.getOrDefault("seed", "42"));
    if (pods < 3 || users < 1) {
      throw new IllegalArgumentException("--pods must be >= 3 and --users >= 1");
    }

    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    clock.advanceTimeBy(Duration.ofMillis(System.currentTimeMillis()));
    InMemoryStatefulExecutor store = InMemoryStatefulExecutor.withClock(clock);
    int[] linked = new int[pods];
    List<ServerDriver> servers = new ArrayList<>();
    for (int p = 0; p < pods; p++) {
      int pod = p;
      ServerDriver s = ServerDriver.create(store, ServerOptions.builder(NS, SVC, pod)
          .incarnation("demo-" + pod).loadSupplier(() -> linked[pod]).scheduler(clock).build());
      s.start().block();
      servers.add(s);
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<ClientDriver> gateways = new ArrayList<>();
    for (int g = 0; g < 2; g++) {
      SplittableRandom r = random.split();
      gateways.add(ClientDriver.create(store, ClientOptions.builder()
          .stateCache(StateCacheOptions.builder().scheduler(clock).defaultBand(5).build())
          .selector(() -> PodSelectors.powerOfTwoChoices(r))
          .build()));
    }

    System.out.printf("stateful-route demo: %d pods, 2 gateways, %d users, seed %d "
        + "(in-memory executor, virtual time)%n%n", pods, users, seed);
    Map<String, Integer> owner = new HashMap<>();
    place(gateways, clock, owner, linked, "user-", 0, users);
    report("1. steady state: every user placed", linked, owner.size());

    int draining = pods - 2;
    servers.get(draining).setRoutingState(RoutingState.DENY_NEW_CALL);
    clock.advanceTimeBy(Duration.ofSeconds(1));
    int before = linked[draining];
    place(gateways, clock, owner, linked, "late-", 0, users / 5);
    int stayed = 0;
    for (Map.Entry<String, Integer> e : owner.entrySet()) {
      if (e.getValue() == draining && e.getKey().startsWith("user-")
          && gateways.get(1).computeLinkedPod(NS, e.getKey(), SVC).block() == draining) {
        stayed++;
      }
    }
    report("2. pod " + draining + " drains (DENY_NEW_CALL): " + (users / 5) + " new users, "
        + (linked[draining] - before) + " of them on pod " + draining + "; " + stayed + " of its "
        + before + " users still routed to it", linked, owner.size());

    int leaving = pods - 1;
    servers.get(leaving).stop().subscribe();
    clock.advanceTimeBy(Duration.ofSeconds(2));
    int moved = 0;
    int disagreements = 0;
    for (Map.Entry<String, Integer> e : new ArrayList<>(owner.entrySet())) {
      if (e.getValue() != leaving) {
        continue;
      }
      int a = gateways.get(0).computeLinkedPod(NS, e.getKey(), SVC).block();
      int b = gateways.get(1).computeLinkedPod(NS, e.getKey(), SVC).block();
      if (a != b) {
        disagreements++;
      }
      linked[leaving]--;
      linked[a]++;
      owner.put(e.getKey(), a);
      if (++moved % 100 == 0) {
        clock.advanceTimeBy(Duration.ofMillis(200)); // pods publish their new load
      }
    }
    report("3. pod " + leaving + " shuts down: " + moved + " users moved, gateways disagree on "
        + disagreements, linked, owner.size());

    System.out.printf("cache hit ratio (gateway 0): %.3f%n",
        gateways.get(0).cacheStats().hitRate());
    gateways.forEach(ClientDriver::close);
    servers.forEach(s -> s.stop().subscribe());
    clock.advanceTimeBy(Duration.ofSeconds(5));
    if (disagreements != 0) {
      System.exit(1);
    }
  }

  private static void place(List<ClientDriver> gateways, VirtualTimeScheduler clock,
      Map<String, Integer> owner, int[] linked, String prefix, int from, int to) {
    for (int i = from; i < to; i++) {
      String uid = prefix + i;
      int pod = gateways.get(i % gateways.size()).computeLinkedPod(NS, uid, SVC).block();
      if (owner.put(uid, pod) == null) {
        linked[pod]++;
      }
      if (i % 100 == 99) {
        clock.advanceTimeBy(Duration.ofMillis(200)); // pods publish their new load
      }
    }
  }

  private static void report(String phase, int[] linked, int total) {
    System.out.println(phase);
    for (int p = 0; p < linked.length; p++) {
      int bar = total == 0 ? 0 : (int) Math.round(50.0 * linked[p] / total);
      System.out.printf("   pod %d %6d users  %s%n", p, linked[p], "#".repeat(bar));
    }
    System.out.println();
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: [--pods K] [--users U] [--seed S]");
      }
      out.put(args[i].substring(2), args[++i]);
    }
    return out;
  }
}
