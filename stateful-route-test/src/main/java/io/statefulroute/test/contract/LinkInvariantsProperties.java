package io.statefulroute.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.test.contract.LinkModel.Window;
import io.statefulroute.test.contract.LinkSteps.Advance;
import io.statefulroute.test.contract.LinkSteps.Batch;
import io.statefulroute.test.contract.LinkSteps.Claim;
import io.statefulroute.test.contract.LinkSteps.Get;
import io.statefulroute.test.contract.LinkSteps.GetIfPersistent;
import io.statefulroute.test.contract.LinkSteps.Index;
import io.statefulroute.test.contract.LinkSteps.Remove;
import io.statefulroute.test.contract.LinkSteps.RemoveIfOwner;
import io.statefulroute.test.contract.LinkSteps.Replace;
import io.statefulroute.test.contract.LinkSteps.SetIfAbsent;
import io.statefulroute.test.contract.LinkSteps.SetLink;
import io.statefulroute.test.contract.LinkSteps.Step;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Invariants of the link operations over random operation sequences, for every target (as {@link
 * StatefulExecutorContract} is for fixed cases). A target calls {@link #checkRandomSequences} with
 * its number of tries: each sequence ({@link LinkSteps}) runs in a fresh namespace, each step is
 * executed on the target and mirrored in {@link LinkModel}, then every link is probed and checked:
 *
 * <ul>
 *   <li>every reply (of the step and of the probes) is one the model allows;
 *   <li>a persistent link changes only through set, claim, remove and remove-if-owner;
 *   <li>after a delayed removal the link is gone by the delay (plus the tolerance) unless set,
 *       claim or replace re-created it (or set-if-absent did, once it may have expired);
 *   <li>the uid's link index equals its persistent links;
 *   <li>set-if-absent never changes the pod of a link that is certainly there.
 * </ul>
 *
 * A failing sequence is shrunk and reported with its seed; {@code -Dlink.invariants.seed=<seed>}
 * replays a run. A shrunk counterexample is kept as a named test calling {@link #run}.
 */
public abstract class LinkInvariantsProperties {
  protected static final List<LinkModel.Key> KEYS =
      List.of(
          new LinkModel.Key("u0", "game"),
          new LinkModel.Key("u0", "chat"),
          new LinkModel.Key("u1", "game"),
          new LinkModel.Key("u1", "chat"));
  private static final List<String> UIDS = List.of("u0", "u1");
  private static final List<String> BATCH_UIDS = List.of("u0", "u1", "nobody");
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** {@code n} executors on one store (own connections where the target has them). */
  protected abstract List<StatefulExecutor> executors(int n);

  /** Lets {@code d} pass on the store's clock. */
  protected abstract void advance(Duration d);

  /** The target's clock in milliseconds (virtual time, or a monotonic real clock). */
  protected abstract long nowMillis();

  /** How far the store's clock may be off the window of a call (0 in virtual time). */
  protected abstract long toleranceMillis();

  /** The most steps of one sequence. */
  protected abstract int maxSteps();

  /** How many executors the steps use. */
  protected int executorCount() {
    return 3;
  }

  /** Called before every sequence (e.g. a fresh executor). */
  protected void beforeSequence() {}

  // ------------------------------------------------------------------------------- run

  /**
   * Runs {@code tries} random sequences; on a failure, shrinks it (at most {@code shrinkAttempts}
   * re-runs) and fails with the seed, the shrunk sequence and its failure.
   */
  protected final void checkRandomSequences(int tries, int shrinkAttempts) {
    String fixed = System.getProperty("link.invariants.seed");
    long seed = fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
    Random random = new Random(seed);
    for (int t = 0; t < tries; t++) {
      List<Step> steps = LinkSteps.sequence(random, maxSteps(), executorCount(), KEYS.size());
      Throwable failure = failure(steps);
      if (failure != null) {
        List<Step> shrunk = LinkSteps.shrink(steps, this::failure, shrinkAttempts);
        Throwable shrunkFailure = failure(shrunk);
        throw new AssertionError(
            "seed "
                + seed
                + ", try "
                + t
                + " of "
                + tries
                + ": "
                + (shrunkFailure != null
                    ? "shrunk to " + shrunk.size() + " steps " + shrunk
                    : "failed " + steps + " (the shrunk sequence passed when run again)"),
            shrunkFailure != null ? shrunkFailure : failure);
      }
    }
    assertThat(tries).as("tries run (seed %d)", seed).isPositive();
  }

  /** Runs one sequence in a fresh namespace, checking the invariants after every step. */
  protected final void run(List<Step> steps) {
    beforeSequence();
    new Run(steps).execute();
  }

  private Throwable failure(List<Step> steps) {
    try {
      run(steps);
      return null;
    } catch (AssertionError | RuntimeException e) {
      return e;
    }
  }

  private record Seen(Integer pod, boolean persistent) {}

  private final class Run {
    private final String ns = "p-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Step> steps;
    private final List<StatefulExecutor> ex = executors(executorCount());
    private final LinkModel model = new LinkModel(KEYS, toleranceMillis());
    private final Map<LinkModel.Key, Seen> seen = new HashMap<>();
    private final Map<LinkModel.Key, Long> goneBy = new HashMap<>();
    private Integer setIfAbsentReply;
    private int at;

    Run(List<Step> steps) {
      this.steps = steps;
      KEYS.forEach(k -> seen.put(k, new Seen(null, false)));
    }

    void execute() {
      for (at = 0; at < steps.size(); at++) {
        Step step = steps.get(at);
        probe(step, step(step));
        if (toleranceMillis() == 0) {
          check(model.deterministic(), "exact time leaves one state per link");
        }
      }
    }

    /** Executes {@code step} on the target and the model; returns the link it may change. */
    private LinkModel.Key step(Step step) {
      if (step instanceof SetLink s) {
        LinkModel.Key k = KEYS.get(s.link());
        observe(
            k,
            LinkModel.setLink(s.pod(), s.ttl()),
            () ->
                ex.get(s.ex())
                    .setLink(ns, k.uid(), k.service(), s.pod(), s.ttl())
                    .blockOptional(WAIT));
        goneBy.remove(k);
        return k;
      } else if (step instanceof SetIfAbsent s) {
        LinkModel.Key k = KEYS.get(s.link());
        Integer before = seen.get(k).pod();
        setIfAbsentReply =
            observe(
                k,
                LinkModel.setLinkIfAbsent(s.pod(), s.ttl()),
                () ->
                    ex.get(s.ex())
                        .setLinkIfAbsent(ns, k.uid(), k.service(), s.pod(), s.ttl())
                        .block(WAIT));
        boolean mayHaveBeenAbsent = model.lastMayHaveBeenAbsent();
        check(
            before == null || setIfAbsentReply.equals(before) || mayHaveBeenAbsent,
            k + " linked to " + before + ": set-if-absent returned " + setIfAbsentReply);
        if (mayHaveBeenAbsent) { // it may have placed the uid afresh
          goneBy.remove(k);
        }
        return k;
      } else if (step instanceof Claim s) {
        LinkModel.Key k = KEYS.get(s.link());
        ClaimResult r =
            observe(
                k,
                LinkModel.claimLink(s.pod(), s.ttl()),
                () ->
                    ex.get(s.ex())
                        .claimLink(ns, k.uid(), k.service(), s.pod(), s.ttl())
                        .block(WAIT));
        if (r.claimed()) {
          goneBy.remove(k);
        }
        return k;
      } else if (step instanceof Replace s) {
        LinkModel.Key k = KEYS.get(s.link());
        ReplaceResult r =
            observe(
                k,
                LinkModel.replaceLink(s.expected(), s.pod(), s.ttl()),
                () ->
                    ex.get(s.ex())
                        .replaceLink(ns, k.uid(), k.service(), s.expected(), s.pod(), s.ttl())
                        .block(WAIT));
        if (r.replaced()) {
          goneBy.remove(k);
        }
        return k;
      } else if (step instanceof Get s) {
        LinkModel.Key k = KEYS.get(s.link());
        observe(
            k,
            LinkModel.getLink(),
            () -> ex.get(s.ex()).getLink(ns, k.uid(), k.service()).blockOptional(WAIT));
      } else if (step instanceof GetIfPersistent s) {
        LinkModel.Key k = KEYS.get(s.link());
        observe(
            k,
            LinkModel.getLinkIfPersistent(),
            () -> ex.get(s.ex()).getLinkIfPersistent(ns, k.uid(), k.service()).blockOptional(WAIT));
      } else if (step instanceof Index s) {
        index(ex.get(s.ex()), UIDS.get(s.uid()));
      } else if (step instanceof Batch s) {
        String svc = KEYS.get(s.service()).service();
        long from = nowMillis();
        Map<String, Integer> r = ex.get(s.ex()).batchGetLinks(ns, BATCH_UIDS, svc).block(WAIT);
        mismatch(model.observeBatch(svc, BATCH_UIDS, new Window(from, nowMillis()), r));
      } else if (step instanceof Remove s) {
        LinkModel.Key k = KEYS.get(s.link());
        Optional<Integer> r =
            observe(
                k,
                LinkModel.removeLink(s.delayMs()),
                () ->
                    ex.get(s.ex())
                        .removeLink(ns, k.uid(), k.service(), Duration.ofMillis(s.delayMs()))
                        .blockOptional(WAIT));
        if (r.isPresent()) {
          goneBy.merge(k, nowMillis() + s.delayMs(), Math::min);
        }
        return k;
      } else if (step instanceof RemoveIfOwner s) {
        LinkModel.Key k = KEYS.get(s.link());
        boolean removed =
            observe(
                k,
                LinkModel.removeLinkIfOwner(s.expected(), s.delayMs()),
                () ->
                    ex.get(s.ex())
                        .removeLinkIfOwner(
                            ns, k.uid(), k.service(), s.expected(), Duration.ofMillis(s.delayMs()))
                        .block(WAIT));
        if (removed) {
          goneBy.merge(k, nowMillis() + s.delayMs(), Math::min);
        }
        return k;
      } else if (step instanceof Advance s) {
        advance(Duration.ofMillis(s.ms()));
      }
      return null;
    }

    /** Reads every link and index, and checks the invariants against the previous probe. */
    private void probe(Step step, LinkModel.Key touched) {
      StatefulExecutor probe = ex.get(0);
      for (LinkModel.Key k : KEYS) {
        long from = nowMillis();
        Optional<Integer> pod =
            observe(
                k,
                LinkModel.getLink(),
                () -> probe.getLink(ns, k.uid(), k.service()).blockOptional(WAIT));
        Optional<Integer> persistent =
            observe(
                k,
                LinkModel.getLinkIfPersistent(),
                () -> probe.getLinkIfPersistent(ns, k.uid(), k.service()).blockOptional(WAIT));
        check(
            persistent.isEmpty() || persistent.equals(pod),
            k + " persistent " + persistent + " but linked to " + pod);
        Seen now = new Seen(pod.orElse(null), persistent.isPresent());
        Seen before = seen.put(k, now);
        boolean explicit =
            k.equals(touched) && !(step instanceof SetIfAbsent) && !(step instanceof Replace);
        check(
            !before.persistent() || explicit || now.equals(before),
            k + " was persistent " + before + ", is " + now);
        if (step instanceof SetIfAbsent && k.equals(touched)) {
          check(
              now.pod() == null || now.pod().equals(setIfAbsentReply),
              k + " set-if-absent returned " + setIfAbsentReply + " but links " + now);
        }
        Long deadline = goneBy.get(k);
        if (now.pod() == null) {
          goneBy.remove(k);
        } else if (deadline != null) {
          check(
              from < deadline + toleranceMillis(),
              k + " removed by " + deadline + " still linked at " + from);
        }
      }
      for (String uid : UIDS) {
        Map<String, Integer> index = index(probe, uid);
        Map<String, Integer> persistent = new HashMap<>();
        KEYS.stream()
            .filter(k -> k.uid().equals(uid) && seen.get(k).persistent())
            .forEach(k -> persistent.put(k.service(), seen.get(k).pod()));
        check(
            index.equals(persistent),
            "index of " + uid + " " + index + " is not its persistent links " + persistent);
      }
    }

    private Map<String, Integer> index(StatefulExecutor e, String uid) {
      long from = nowMillis();
      Map<String, Integer> r = e.getLinkIndex(ns, uid).block(WAIT);
      mismatch(model.observeIndex(uid, new Window(from, nowMillis()), r));
      return r;
    }

    private <R> R observe(LinkModel.Key k, LinkModel.Transition<R> t, Supplier<R> call) {
      long from = nowMillis();
      R reply = call.get();
      mismatch(model.observe(k, new Window(from, nowMillis()), t, reply));
      return reply;
    }

    private void mismatch(String m) {
      check(m == null, m);
    }

    private void check(boolean ok, String what) {
      assertThat(ok).as("step %d of %s in %s: %s", at, steps, ns, what).isTrue();
    }
  }
}
