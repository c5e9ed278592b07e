package io.statefulroute.test.contract;

import io.statefulroute.core.StatefulExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Random operation sequences for {@link LinkInvariantsProperties}: seeded generation (one seed
 * reproduces a run) and shrinking of a failing sequence to a small one that still fails (drop
 * chunks of steps, then single steps, then make steps simpler).
 */
public final class LinkSteps {
  private LinkSteps() {}

  /** One step; {@code ex} picks the executor, {@code link} one of the model's links. */
  public sealed interface Step {}

  /** {@code setLink} of a link to {@code pod} with {@code ttl} seconds. */
  public record SetLink(int ex, int link, int pod, long ttl) implements Step {}

  /** {@code setLinkIfAbsent} of a link, {@code pod} as the candidate. */
  public record SetIfAbsent(int ex, int link, int pod, long ttl) implements Step {}

  /** {@code claimLink} of a link by {@code pod}. */
  public record Claim(int ex, int link, int pod, long ttl) implements Step {}

  /** {@code replaceLink} of a link from {@code expected} to {@code pod}. */
  public record Replace(int ex, int link, int expected, int pod, long ttl) implements Step {}

  /** {@code getLink} of a link. */
  public record Get(int ex, int link) implements Step {}

  /** {@code getLinkIfPersistent} of a link. */
  public record GetIfPersistent(int ex, int link) implements Step {}

  /** {@code getLinkIndex} of a uid. */
  public record Index(int ex, int uid) implements Step {}

  /** {@code batchGetLinks} of every uid of one service. */
  public record Batch(int ex, int service) implements Step {}

  /** {@code removeLink} of a link after {@code delayMs}. */
  public record Remove(int ex, int link, long delayMs) implements Step {}

  /** {@code removeLinkIfOwner} of a link by {@code expected} after {@code delayMs}. */
  public record RemoveIfOwner(int ex, int link, int expected, long delayMs) implements Step {}

  /** Lets {@code ms} pass on the store's clock. */
  public record Advance(long ms) implements Step {}

  private static final long[] TTLS = {StatefulExecutor.PERSISTENT, 1, 2, 300};
  private static final long[] DELAYS = {0, 300, 800, 60_000};

  /** Relative weights of the step kinds, in the order of {@link #step}'s switch. */
  private static final int[] WEIGHTS = {3, 4, 3, 3, 1, 1, 1, 1, 3, 2, 3};

  /** A sequence of 1 to {@code maxSteps} steps over {@code links} links and 2 uids/services. */
  public static List<Step> sequence(Random r, int maxSteps, int executors, int links) {
    int n = 1 + r.nextInt(maxSteps);
    List<Step> steps = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      steps.add(step(r, executors, links));
    }
    return steps;
  }

  private static Step step(Random r, int executors, int links) {
    int total = 0;
    for (int w : WEIGHTS) {
      total += w;
    }
    int pick = r.nextInt(total);
    int kind = 0;
    while (pick >= WEIGHTS[kind]) {
      pick -= WEIGHTS[kind++];
    }
    int ex = r.nextInt(executors);
    int link = r.nextInt(links);
    int pod = r.nextInt(5);
    long ttl = TTLS[r.nextInt(TTLS.length)];
    long delay = DELAYS[r.nextInt(DELAYS.length)];
    return switch (kind) {
      case 0 -> new SetLink(ex, link, pod, ttl);
      case 1 -> new SetIfAbsent(ex, link, pod, ttl);
      case 2 -> new Claim(ex, link, pod, ttl);
      case 3 -> new Replace(ex, link, r.nextInt(5), pod, ttl);
      case 4 -> new Get(ex, link);
      case 5 -> new GetIfPersistent(ex, link);
      case 6 -> new Index(ex, r.nextInt(2));
      case 7 -> new Batch(ex, r.nextInt(2));
      case 8 -> new Remove(ex, link, delay);
      case 9 -> new RemoveIfOwner(ex, link, pod, delay);
      default -> new Advance(r.nextInt(1501));
    };
  }

  /**
   * Shrinks {@code failing} while {@code failure} still reports a failure for the smaller sequence
   * (null = passes), trying at most {@code attempts} candidates.
   */
  public static List<Step> shrink(
      List<Step> failing, Function<List<Step>, Throwable> failure, int attempts) {
    List<Step> best = failing;
    int left = attempts;
    boolean smaller = true;
    while (smaller && left > 0) {
      smaller = false;
      for (int chunk = Math.max(1, best.size() / 2); chunk >= 1 && left > 0; chunk /= 2) {
        for (int i = 0; i + chunk <= best.size() && left > 0; ) {
          List<Step> candidate = new ArrayList<>(best.subList(0, i));
          candidate.addAll(best.subList(i + chunk, best.size()));
          left--;
          if (!candidate.isEmpty() && failure.apply(candidate) != null) {
            best = candidate;
            smaller = true;
          } else {
            i++;
          }
        }
      }
      for (int i = 0; i < best.size() && left > 0; i++) {
        for (Step simpler : simpler(best.get(i))) {
          List<Step> candidate = new ArrayList<>(best);
          candidate.set(i, simpler);
          left--;
          if (failure.apply(candidate) != null) {
            best = candidate;
            smaller = true;
            break;
          }
        }
      }
    }
    return best;
  }

  /** Simpler versions of one step: executor 0, a shorter advance. */
  private static List<Step> simpler(Step s) {
    List<Step> out = new ArrayList<>();
    if (s instanceof Advance a && a.ms() > 0) {
      out.add(new Advance(a.ms() / 2));
    } else if (s instanceof SetLink x && x.ex() > 0) {
      out.add(new SetLink(0, x.link(), x.pod(), x.ttl()));
    } else if (s instanceof SetIfAbsent x && x.ex() > 0) {
      out.add(new SetIfAbsent(0, x.link(), x.pod(), x.ttl()));
    } else if (s instanceof Claim x && x.ex() > 0) {
      out.add(new Claim(0, x.link(), x.pod(), x.ttl()));
    } else if (s instanceof Replace x && x.ex() > 0) {
      out.add(new Replace(0, x.link(), x.expected(), x.pod(), x.ttl()));
    } else if (s instanceof Remove x && x.ex() > 0) {
      out.add(new Remove(0, x.link(), x.delayMs()));
    } else if (s instanceof RemoveIfOwner x && x.ex() > 0) {
      out.add(new RemoveIfOwner(0, x.link(), x.expected(), x.delayMs()));
    }
    return out;
  }
}
