package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.StoreTimeoutException;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.test.CoherenceHistory;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.StalenessChecker;
import io.statefulroute.test.redis.TcpRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The adversarial coherence checker: several clients on real Redis answer the pods of uids that one
 * writer keeps moving, creating, claiming and removing (now and with a delay), while
 *
 * <ul>
 *   <li>every store reply to a client arrives 0-200 ms late (a {@link FaultyExecutor} delays reads,
 *       set-if-absent, compare-and-set, batch reads and state reads at random: a reply delayed
 *       while the announcement of a newer change arrives on the other connection), and
 *   <li>each client's link-event connection runs through its own {@link TcpRelay}, which in turn
 *       delays it, black-holes it (a half-open connection) and drops it.
 * </ul>
 *
 * Every answer and every store change is recorded with its call's start and end ({@link
 * CoherenceHistory}); {@link StalenessChecker} then fails the run when an answer named a pod the
 * store had moved away from longer ago than the bound of docs/guarantees.md: 1 s while events flow,
 * 2 s + {@code commandTimeout} (noticing a silent connection) + {@code unconfirmedCacheTtl} near a
 * fault of that client's connection.
 *
 * <p>{@code -Dcoherence.checker.seconds=N} makes the run longer (20 s by default, in {@code mvn
 * verify}); {@code -Dcoherence.checker.seed=S} fixes the writer's and the faults' choices (printed
 * with the verdict).
 */
abstract class AbstractCoherenceCheckerIT {
  private static final String SVC = "game";
  private static final int PODS = 4;
  private static final int CLIENTS = 4;
  private static final int STABLE = 200;
  private static final int REMOVABLE = 100;
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration UNCONFIRMED = Duration.ofSeconds(1);
  private static final Duration PING_PERIOD = Duration.ofSeconds(1);
  private static final Duration FLOWING_BOUND = Duration.ofSeconds(1);

  /**
   * A silent connection is noticed within 2 s + commandTimeout (a PING every second, checked every
   * half second: docs/guarantees.md); entries older than unconfirmedCacheTtl are re-read from then
   * on.
   */
  private static final Duration FAULT_BOUND =
      PING_PERIOD.multipliedBy(2).plus(COMMAND_TIMEOUT).plus(UNCONFIRMED);

  private static final Duration RECOVERY = Duration.ofSeconds(2);
  private static final Duration REMOVAL_DELAY = Duration.ofMillis(300);

  /** Redis expires a key within about a millisecond of its PX; a read after that sees none. */
  private static final long EXPIRY_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private static final long MAX_REPLY_DELAY_MS = 200;

  /**
   * Announcements on the namespace's classic channel, on a cluster too: each client's events come
   * through one relay in front of one node, which hears classic announcements of every shard but
   * sharded ones of its own slots only (ShardedAnnouncementsIT covers those).
   */
  private static final RedisExecutorOptions CLASSIC =
      RedisExecutorOptions.builder().shardedAnnouncements(false).build();

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final long t0 = System.nanoTime();
  private final CoherenceHistory history = new CoherenceHistory();
  private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

  /** Per client, the link events it heard, with their arrival (printed for a failure). */
  private final List<Queue<String>> heard = new ArrayList<>();

  abstract RedisContractTarget target();

  abstract String name();

  @AfterEach
  void closeAll() {
    for (int i = closing.size() - 1; i >= 0; i--) {
      try {
        closing.get(i).close();
      } catch (Exception ignored) {
        // closing anyway
      }
    }
  }

  private long now() {
    return System.nanoTime() - t0;
  }

  @Test
  void answersStayWithinTheStalenessBound_underDelayedRepliesAndEventConnectionFaults() {
    long seconds = Long.getLong("coherence.checker.seconds", 20);
    long seed = Long.getLong("coherence.checker.seed", System.nanoTime());
    String ns = "coh-" + UUID.randomUUID().toString().substring(0, 8);
    StatefulExecutor writer = target().newExecutor(CLASSIC);
    List<String> stable = new ArrayList<>();
    List<String> removable = new ArrayList<>();
    for (int i = 0; i < STABLE; i++) {
      stable.add("s" + i);
    }
    for (int i = 0; i < REMOVABLE; i++) {
      removable.add("r" + i);
    }
    Random random = new Random(seed);
    Writer w = new Writer(writer, ns, random);
    for (String uid : stable) {
      w.set(uid, random.nextInt(PODS), false);
    }
    for (String uid : removable) {
      w.set(uid, random.nextInt(PODS), false);
    }
    for (int pod = 0; pod < PODS; pod++) {
      ServerDriver server =
          ServerDriver.create(
              writer, ServerOptions.builder(ns, SVC, pod).incarnation("coh-" + pod).build());
      server.start().block(Duration.ofSeconds(5));
      closing.add(
          () -> server.stop().onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(5)));
    }

    List<TcpRelay> relays = new ArrayList<>();
    List<ClientDriver> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      TcpRelay relay = relayToFirstNode();
      relays.add(relay);
      clients.add(client(ns, relay));
    }

    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> faultThreads = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      Thread t =
          new Thread(
              new FaultSchedule(i, relays.get(i), new Random(seed + 1 + i), running),
              "coherence-faults-" + i);
      t.setDaemon(true);
      t.start();
      faultThreads.add(t);
    }
    List<CompletableFuture<Void>> readers = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      readers.add(reads(i, clients.get(i), ns, stable, removable, Duration.ofSeconds(seconds)));
    }
    long end = now() + TimeUnit.SECONDS.toNanos(seconds);
    while (now() < end) {
      w.step(stable, removable);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // the writer's pace, ~150/s
    }
    readers.forEach(CompletableFuture::join);
    running.set(false);
    faultThreads.forEach(
        t -> {
          try {
            t.join(10_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });

    StalenessChecker.Report report =
        new StalenessChecker(FLOWING_BOUND, FAULT_BOUND, RECOVERY).check(history);
    System.out.printf(
        "%s coherence checker (seed %d, %d s, %d clients, replies delayed 0-%d ms,"
            + " %d faults on event connections): %s; errors %s%n",
        name(),
        seed,
        seconds,
        CLIENTS,
        MAX_REPLY_DELAY_MS,
        history.faults().size(),
        report,
        errors);
    report.violations().stream()
        .limit(5)
        .forEach(
            v ->
                System.out.printf(
                    "  %s%n    changes of %s: %s%n    faults of client %d: %s%n    heard: %s%n",
                    v,
                    v.answer().uid(),
                    history.changes(v.answer().uid()),
                    v.answer().client(),
                    history.faults().stream()
                        .filter(f -> f.client() == v.answer().client())
                        .toList(),
                    heard.get(v.answer().client()).stream()
                        .filter(
                            e ->
                                e.contains("uid=" + v.answer().uid() + ",")
                                    || e.contains("ubscribed"))
                        .toList()));
    assertThat(report.violations())
        .as("answers past the staleness bound (seed " + seed + ")")
        .isEmpty();
    assertThat(report.answers()).as("answers checked").isGreaterThan(5_000);
    assertThat(report.changes()).as("store changes").isGreaterThan(500);
    // the faults reached every client's subscription (else the run proves nothing about them)
    assertThat(relays).allSatisfy(r -> assertThat(r.droppedBytes()).isPositive());
    assertThat(heard).allSatisfy(log -> assertThat(log).anyMatch(e -> e.contains("Unsubscribed")));
    // commands go straight to Redis: no error is expected but a rare timeout on a busy machine
    long timeouts =
        errors.getOrDefault(StoreTimeoutException.class.getSimpleName(), new AtomicLong()).get();
    assertThat(errors.keySet())
        .as("errors other than timeouts")
        .isSubsetOf(StoreTimeoutException.class.getSimpleName());
    assertThat(timeouts).as("timeouts").isLessThan(report.answers() / 1_000 + 1);
  }

  /** A relay in front of the first node: the event connection of one client runs through it. */
  private TcpRelay relayToFirstNode() {
    RedisURI node = RedisURI.create(target().target().uris().get(0));
    TcpRelay relay = TcpRelay.to(node.getHost(), node.getPort());
    closing.add(relay);
    return relay;
  }

  /**
   * A client whose store replies come late at random and whose link events come through {@code
   * relay} (a standalone connection to one node hears every announcement, on a cluster too).
   */
  private ClientDriver client(String ns, TcpRelay relay) {
    RedisURI node = RedisURI.create(target().target().uris().get(0));
    RedisClient eventsClient =
        RedisClient.create(
            RedisURI.builder(node)
                .withHost("127.0.0.1")
                .withPort(relay.port())
                .withTimeout(Duration.ofSeconds(2)) // a handshake sent into the black hole gives up
                .build());
    closing.add(eventsClient::shutdown);
    RedisExecutorOptions options =
        CLASSIC.toBuilder()
            .commandTimeout(COMMAND_TIMEOUT)
            .linkEventsReconnectAfter(Duration.ofSeconds(1))
            .build();
    RedisStatefulExecutor events = RedisStatefulExecutor.create(eventsClient, options);
    closing.add(events);
    FaultyExecutor commands = new FaultyExecutor(target().newExecutor(options));
    for (String op :
        List.of(
            "getLink",
            "getLinkLease",
            "getLinkIfPersistent",
            "setLinkIfAbsent",
            "replaceLink",
            "batchGetLinks",
            "readState")) {
      commands.delayEach(
          op,
          () -> Duration.ofMillis(ThreadLocalRandom.current().nextLong(MAX_REPLY_DELAY_MS + 1)),
          Schedulers.parallel());
    }
    commands.overrideLinkEvents(events.linkEvents(ns));
    Queue<String> log = new ConcurrentLinkedQueue<>();
    heard.add(log);
    Disposable recording =
        events.linkEvents(ns).subscribe(e -> log.add(now() / 1_000_000 + " ms " + e));
    closing.add(recording::dispose);
    ClientDriver client =
        ClientDriver.create(
            commands,
            ClientOptions.builder()
                .leaseTtl(Duration.ofSeconds(60))
                .unconfirmedCacheTtl(UNCONFIRMED)
                .build());
    closing.add(client);
    return client;
  }

  /**
   * About 500 calls per second from one client, 16 at a time: computes and reads of the uids that
   * stay linked, reads of the ones that come and go (a compute would place them).
   */
  private CompletableFuture<Void> reads(
      int client,
      ClientDriver driver,
      String ns,
      List<String> stable,
      List<String> removable,
      Duration duration) {
    return Flux.interval(Duration.ofMillis(2))
        .onBackpressureDrop()
        .take(duration)
        .flatMap(
            i -> {
              ThreadLocalRandom r = ThreadLocalRandom.current();
              boolean linked = r.nextInt(3) > 0;
              String uid =
                  linked
                      ? stable.get(r.nextInt(stable.size()))
                      : removable.get(r.nextInt(removable.size()));
              int kind = r.nextInt(10);
              if (linked && kind < 6) {
                return read(
                    client, "computeLinkedPod", uid, true, driver.computeLinkedPod(ns, uid, SVC));
              }
              if (!linked && kind == 0) {
                return read(
                    client,
                    "getLinkedPodInCacheOrIfPersist",
                    uid,
                    false,
                    driver.getLinkedPodInCacheOrIfPersist(ns, uid, SVC));
              }
              return read(client, "getLinkedPod", uid, true, driver.getLinkedPod(ns, uid, SVC));
            },
            16)
        .then()
        .toFuture();
  }

  /** Records the call's answer; {@code emptyIsAnAnswer}: an empty reply claims "no link". */
  private Mono<Void> read(
      int client, String op, String uid, boolean emptyIsAnAnswer, Mono<Integer> call) {
    return Mono.defer(
            () -> {
              long start = now();
              return call.map(Optional::of)
                  .defaultIfEmpty(Optional.empty())
                  .doOnNext(
                      pod -> {
                        if (pod.isPresent() || emptyIsAnAnswer) {
                          history.answer(client, op, uid, pod.orElse(null), start, now());
                        }
                      })
                  .then();
            })
        .onErrorResume(
            e -> {
              errors
                  .computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong())
                  .incrementAndGet();
              return Mono.empty();
            });
  }

  /** The only writer of the run's links: one change at a time, each recorded. */
  private final class Writer {
    private final StatefulExecutor executor;
    private final String ns;
    private final Random random;
    private final Map<String, Integer> current = new HashMap<>();
    private final Set<String> persistent = new HashSet<>();
    private final Map<String, Long> busyUntil = new HashMap<>();

    Writer(StatefulExecutor executor, String ns, Random random) {
      this.executor = executor;
      this.ns = ns;
      this.random = random;
    }

    void step(List<String> stable, List<String> removable) {
      boolean linked = random.nextBoolean();
      String uid =
          linked
              ? stable.get(random.nextInt(stable.size()))
              : removable.get(random.nextInt(removable.size()));
      if (busyUntil.getOrDefault(uid, Long.MIN_VALUE) > now()) {
        return; // a delayed removal still running
      }
      Integer cur = current.get(uid);
      int other = cur == null ? random.nextInt(PODS) : (cur + 1 + random.nextInt(PODS - 1)) % PODS;
      int op = random.nextInt(10);
      if (cur == null) {
        set(uid, other, false);
      } else if (linked && op < 4) {
        set(uid, other, random.nextInt(4) == 0);
      } else if (linked && op < 8) {
        replace(uid, cur, other);
      } else if (linked) {
        claim(uid, other);
      } else if (op < 4) {
        long start = now();
        executor.removeLink(ns, uid, SVC, Duration.ZERO).block(Duration.ofSeconds(5));
        record(uid, null, "remove", start, now());
      } else if (op < 7) {
        long start = now();
        executor.removeLink(ns, uid, SVC, REMOVAL_DELAY).block(Duration.ofSeconds(5));
        long end = now();
        long delay = REMOVAL_DELAY.toNanos();
        record(uid, null, "removeLater", start + delay, end + delay + EXPIRY_SLACK_NANOS);
        busyUntil.put(uid, end + delay + 2 * EXPIRY_SLACK_NANOS);
      } else {
        set(uid, other, false);
      }
    }

    void set(String uid, int pod, boolean persist) {
      long start = now();
      executor.setLink(ns, uid, SVC, pod, persist ? -1 : 60).block(Duration.ofSeconds(5));
      record(uid, pod, persist ? "setPersistent" : "set", start, now());
      if (persist) {
        persistent.add(uid);
      } else {
        persistent.remove(uid);
      }
    }

    private void replace(String uid, int expected, int pod) {
      long start = now();
      ReplaceResult r =
          executor.replaceLink(ns, uid, SVC, expected, pod, 60).block(Duration.ofSeconds(5));
      long end = now();
      // the only writer: a temporary link is moved, a persistent one never is
      assertThat(r.replaced())
          .as("replace of %s (persistent: %s)", uid, persistent.contains(uid))
          .isEqualTo(!persistent.contains(uid));
      if (r.replaced()) {
        record(uid, pod, "replace", start, end);
      }
    }

    private void claim(String uid, int pod) {
      long start = now();
      ClaimResult r = executor.claimLink(ns, uid, SVC, pod, -1).block(Duration.ofSeconds(5));
      long end = now();
      assertThat(r.claimed()).as("claim of %s", uid).isEqualTo(!persistent.contains(uid));
      if (r.claimed()) {
        record(uid, pod, "claim", start, end);
        persistent.add(uid);
      }
    }

    private void record(String uid, Integer pod, String how, long start, long end) {
      history.change(uid, pod, how, start, end);
      if (pod == null) {
        current.remove(uid);
        persistent.remove(uid);
      } else {
        current.put(uid, pod);
      }
    }
  }

  /**
   * What the network does to one client's event connection, in turn: nothing, a delay of 100-300 ms
   * per chunk, a 3 s black hole (no FIN, no RST), a dropped connection. Each fault is recorded with
   * its span.
   */
  private final class FaultSchedule implements Runnable {
    private final int client;
    private final TcpRelay relay;
    private final Random random;
    private final AtomicBoolean running;

    FaultSchedule(int client, TcpRelay relay, Random random, AtomicBoolean running) {
      this.client = client;
      this.relay = relay;
      this.random = random;
      this.running = running;
    }

    @Override
    public void run() {
      int kind = client; // clients start their rounds at different faults
      while (running.get()) {
        long span = 1_500L + random.nextInt(1_500);
        long start = now();
        switch (kind++ % 4) {
          case 0 -> pause(span);
          case 1 -> {
            relay.delay(100 + random.nextInt(201));
            pause(span);
            relay.delay(0);
            history.fault(client, "delay", start, now());
          }
          case 2 -> {
            relay.blackHole(true);
            pause(3_000);
            relay.blackHole(false);
            history.fault(client, "black hole", start, now());
          }
          default -> {
            relay.dropConnections();
            history.fault(client, "drop", start, now());
            pause(span);
          }
        }
      }
    }

    private void pause(long millis) {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (running.get() && System.nanoTime() < until) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    }
  }
}
