package io.statefulroute.core.state;

import io.statefulroute.core.PodState;
import io.statefulroute.core.StateSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One service's pods as a client sees them after a state read, with the derived sets (the routing
 * states of docs/routing.md), all computed on the Redis clock of the read:
 *
 * <ul>
 *   <li><em>fresh</em>: record age {@code <=} state expiry;
 *   <li><em>routable</em>: fresh and READY or DENY_NEW_CALL (existing links are honoured);
 *   <li><em>available</em>: fresh and READY and not cordoned by an operator (new links may be
 *       placed); a cordoned pod is treated as DENY_NEW_CALL, whatever it publishes;
 *   <li><em>good</em>: available and load {@code <=} {@link #goodLimit} of the minimum available
 *       load: {@code min + max(band, ceil(bandRatio x min))}.
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
  private final Set<Integer> cordoned;

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
      List<PodState> good,
      Set<Integer> cordoned) {
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
    this.cordoned = cordoned;
  }

  /**
   * Computes the view of a snapshot with an absolute band ({@code bandRatio} 0).
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
    return of(namespace, service, snapshot, expiryMillis, band, 0, fetchedAtMillis);
  }

  /**
   * The highest load of a good pod when the least loaded available pod has {@code minLoad}: {@code
   * minLoad + max(band, ceil(bandRatio x minLoad))}.
   */
  public static long goodLimit(long minLoad, int band, double bandRatio) {
    return minLoad + Math.max((long) band, (long) Math.ceil(bandRatio * minLoad));
  }

  /**
   * Computes the view of a snapshot.
   *
   * @param expiryMillis the state expiry: older records are not fresh
   * @param band the floor of the good band above the minimum available load, {@code >= 0}
   * @param bandRatio the good band as a share of the minimum available load, {@code >= 0}
   * @param fetchedAtMillis the local clock when the snapshot was read (for view staleness)
   */
  public static ServiceView of(
      String namespace,
      String service,
      StateSnapshot snapshot,
      long expiryMillis,
      int band,
      double bandRatio,
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
      if (p.state().isAvailable() && !snapshot.isCordoned(p.pod())) {
        available[na++] = p.pod();
        availablePods.add(p);
        minLoad = Math.min(minLoad, p.load());
      }
    }
    List<PodState> good = new ArrayList<>();
    long limit = goodLimit(minLoad, band, bandRatio);
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
        List.copyOf(good),
        snapshot.cordoned());
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
        List.of(),
        cordoned);
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

  /** Whether an operator has cordoned {@code pod} (it is then not available, see the class). */
  public boolean isCordoned(int pod) {
    return cordoned.contains(pod);
  }

  /** The pods an operator has cordoned, as read with the records. */
  public Set<Integer> cordoned() {
    return cordoned;
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
