package io.statefulroute.core.state;

import io.statefulroute.core.PodState;
import io.statefulroute.core.StateSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One service's pods as a client sees them after a state read, with the derived sets (the README's
 * routing states), all computed on the Redis clock of the read:
 *
 * <ul>
 *   <li><em>fresh</em>: record age {@code <=} state expiry;
 *   <li><em>routable</em>: fresh and READY or DENY_NEW_CALL (existing links are honoured);
 *   <li><em>available</em>: fresh and READY (new links may be placed);
 *   <li><em>good</em>: available and load {@code <=} minimum available load + band.
 * </ul>
 *
 * Immutable. Lookups ({@link #isRoutable}) are a binary search over a sorted int array: no
 * allocation on the cache-hit path.
 */
public final class ServiceView {
  private final String namespace;
  private final String service;
  private final Map<Integer, PodState> pods;
  private final long serverTimeMillis;
  private final long fetchedAtMillis;
  private final int[] fresh;
  private final int[] routable;
  private final int[] available;
  private final List<PodState> good;
  private final List<PodState> availablePods;

  private ServiceView(
      String namespace,
      String service,
      Map<Integer, PodState> pods,
      long serverTimeMillis,
      long fetchedAtMillis,
      int[] fresh,
      int[] routable,
      int[] available,
      List<PodState> availablePods,
      List<PodState> good) {
    this.namespace = namespace;
    this.service = service;
    this.pods = pods;
    this.serverTimeMillis = serverTimeMillis;
    this.fetchedAtMillis = fetchedAtMillis;
    this.fresh = fresh;
    this.routable = routable;
    this.available = available;
    this.availablePods = availablePods;
    this.good = good;
  }

  /**
   * Computes the view of a snapshot.
   *
   * @param expiryMillis the state expiry: older records are not fresh
   * @param band the good band above the minimum available load, {@code >= 0}
   * @param fetchedAtMillis the local clock when the snapshot was read (for view staleness)
   */
  public static ServiceView of(
      String namespace,
      String service,
      StateSnapshot snapshot,
      long expiryMillis,
      int band,
      long fetchedAtMillis) {
    TreeMap<Integer, PodState> sorted = new TreeMap<>(snapshot.pods());
    long now = snapshot.serverTimeMillis();
    int[] fresh = new int[sorted.size()];
    int[] routable = new int[sorted.size()];
    int[] available = new int[sorted.size()];
    int nf = 0;
    int nr = 0;
    int na = 0;
    List<PodState> availablePods = new ArrayList<>();
    int minLoad = Integer.MAX_VALUE;
    for (PodState p : sorted.values()) {
      if (p.ageMillis(now) > expiryMillis) {
        continue;
      }
      fresh[nf++] = p.pod();
      if (p.state().isRoutable()) {
        routable[nr++] = p.pod();
      }
      if (p.state().isAvailable()) {
        available[na++] = p.pod();
        availablePods.add(p);
        minLoad = Math.min(minLoad, p.load());
      }
    }
    List<PodState> good = new ArrayList<>();
    long limit = (long) minLoad + band;
    for (PodState p : availablePods) {
      if (p.load() <= limit) {
        good.add(p);
      }
    }
    return new ServiceView(
        namespace,
        service,
        Collections.unmodifiableMap(sorted),
        now,
        fetchedAtMillis,
        Arrays.copyOf(fresh, nf),
        Arrays.copyOf(routable, nr),
        Arrays.copyOf(available, na),
        List.copyOf(availablePods),
        List.copyOf(good));
  }

  /** An empty view: nothing fresh, nothing routable (a view too old to be trusted). */
  ServiceView expired() {
    return new ServiceView(
        namespace,
        service,
        pods,
        serverTimeMillis,
        fetchedAtMillis,
        new int[0],
        new int[0],
        new int[0],
        List.of(),
        List.of());
  }

  public String namespace() {
    return namespace;
  }

  public String service() {
    return service;
  }

  /** Every record read, fresh or not, by pod index (sorted). */
  public Map<Integer, PodState> pods() {
    return pods;
  }

  /** The Redis clock of the read. */
  public long serverTimeMillis() {
    return serverTimeMillis;
  }

  /** The local clock when the read completed. */
  public long fetchedAtMillis() {
    return fetchedAtMillis;
  }

  public boolean isFresh(int pod) {
    return Arrays.binarySearch(fresh, pod) >= 0;
  }

  public boolean isRoutable(int pod) {
    return Arrays.binarySearch(routable, pod) >= 0;
  }

  public boolean isAvailable(int pod) {
    return Arrays.binarySearch(available, pod) >= 0;
  }

  public int freshCount() {
    return fresh.length;
  }

  public int routableCount() {
    return routable.length;
  }

  public int availableCount() {
    return available.length;
  }

  /** Available pods, sorted by pod index. */
  public List<PodState> availablePods() {
    return availablePods;
  }

  /** Good pods (available and within the band), sorted by pod index. */
  public List<PodState> goodPods() {
    return good;
  }

  /**
   * How long before this read {@code pod} last published, on the store's clock ({@link
   * PodState#ageMillis}); {@link Long#MAX_VALUE} when the read holds no record of it.
   */
  public long publishedAgoMillis(int pod) {
    PodState p = pods.get(pod);
    return p == null ? Long.MAX_VALUE : p.ageMillis(serverTimeMillis);
  }

  @Override
  public String toString() {
    return "ServiceView{"
        + namespace
        + "/"
        + service
        + ", fresh="
        + Arrays.toString(fresh)
        + ", routable="
        + Arrays.toString(routable)
        + ", available="
        + Arrays.toString(available)
        + ", good="
        + good.stream().map(PodState::pod).toList()
        + "}";
  }
}
