package io.statefulroute.benchmarks;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.statefulroute.core.spi.KeySchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fixed pool of uids whose links exist before the measurement, and everything both sides of the
 * comparison need to address them: the executor takes namespace, uid and service; the raw Lettuce
 * baseline takes the keys, computed here once with the executor's {@link KeySchema}.
 *
 * <p>uid {@code i} links service {@value #SERVICE} to pod {@code i % PODS} with a lease of {@value
 * #TTL_SECONDS} s. The benchmark asks set-if-absent for pod {@code (i + 1) % PODS}, so a correct
 * reply (the pod already there) proves that the call hit the existing link.
 */
final class LinkPool {
  static final String SERVICE = "svc";
  static final int PODS = 8;
  static final long TTL_SECONDS = 3600;
  static final String TTL_ARG = Long.toString(TTL_SECONDS);

  private final String ns;
  private final int batchSize;
  private final String[] uids;
  private final String[][] scriptKeys;
  private final String[] linkKeys;
  private final List<List<String>> batchUids = new ArrayList<>();
  private final List<String[]> batchKeys = new ArrayList<>();
  private volatile String setIfAbsentSha;
  private static final String[] POD_ARGS = new String[PODS];

  static {
    for (int p = 0; p < PODS; p++) {
      POD_ARGS[p] = Integer.toString(p);
    }
  }

  LinkPool(int size, int batchSize) {
    if (size < 1 || batchSize < 1 || size % batchSize != 0) {
      throw new IllegalArgumentException(
          "pool size must be a positive multiple of the batch size: " + size + ", " + batchSize);
    }
    this.ns = "bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    this.batchSize = batchSize;
    KeySchema keys = KeySchema.defaults();
    uids = new String[size];
    scriptKeys = new String[size][];
    linkKeys = new String[size];
    for (int i = 0; i < size; i++) {
      uids[i] = "user-" + i;
      linkKeys[i] = keys.link(ns, uids[i], SERVICE);
      // the keys of every link script, in its order (see lua/link_set_if_absent.lua)
      scriptKeys[i] =
          new String[] {
            linkKeys[i], keys.linkIndex(ns, uids[i]), keys.linkRemoval(ns, uids[i], SERVICE)
          };
    }
    for (int from = 0; from < size; from += batchSize) {
      batchUids.add(List.of(Arrays.copyOfRange(uids, from, from + batchSize)));
      batchKeys.add(Arrays.copyOfRange(linkKeys, from, from + batchSize));
    }
  }

  String namespace() {
    return ns;
  }

  int size() {
    return uids.length;
  }

  int batches() {
    return batchKeys.size();
  }

  int batchSize() {
    return batchSize;
  }

  String uid(int i) {
    return uids[i];
  }

  /** The pod uid {@code i} is linked to. */
  static int pod(int i) {
    return i % PODS;
  }

  /** The pod set-if-absent proposes for uid {@code i}: not the one it is linked to. */
  static int candidatePod(int i) {
    return (i + 1) % PODS;
  }

  static String podArg(int pod) {
    return POD_ARGS[pod];
  }

  /**
   * {@code KEYS} of the link scripts for uid {@code i}: the link, its index, its removal marker.
   */
  String[] scriptKeys(int i) {
    return scriptKeys[i];
  }

  String linkKey(int i) {
    return linkKeys[i];
  }

  List<String> batchUids(int b) {
    return batchUids.get(b);
  }

  String[] batchKeys(int b) {
    return batchKeys.get(b);
  }

  /**
   * Loads the executor's set-if-absent script ({@link ContractScript}) and sets every link of the
   * pool with it (pipelined); {@link #setIfAbsentSha()} names the script from then on.
   */
  void populate(RedisClusterAsyncCommands<String, String> admin) {
    String sha = await(admin.scriptLoad(ContractScript.body("link_set_if_absent.lua")));
    setIfAbsentSha = sha;
    List<RedisFuture<String>> replies = new ArrayList<>(uids.length);
    for (int i = 0; i < uids.length; i++) {
      replies.add(
          admin.evalsha(
              sha, ScriptOutputType.VALUE, scriptKeys[i], podArg(pod(i)), TTL_ARG, SERVICE));
    }
    awaitAll(replies);
    for (int i = 0; i < uids.length; i++) {
      String reply = replies.get(i).toCompletableFuture().join();
      if (!podArg(pod(i)).equals(reply)) {
        throw new IllegalStateException("pre-populating " + linkKeys[i] + " replied " + reply);
      }
    }
  }

  /** The SHA1 of the set-if-absent script that {@link #populate} loaded. */
  String setIfAbsentSha() {
    String sha = setIfAbsentSha;
    if (sha == null) {
      throw new IllegalStateException("populate the pool first: it loads the script");
    }
    return sha;
  }

  /** Deletes every key of the pool (for a server the benchmark did not start). */
  void delete(RedisClusterAsyncCommands<String, String> admin) {
    List<RedisFuture<Long>> replies = new ArrayList<>(uids.length);
    for (String[] k : scriptKeys) {
      replies.add(admin.unlink(k));
    }
    awaitAll(replies);
  }

  private static <T> T await(RedisFuture<T> future) {
    awaitAll(List.of(future));
    return future.toCompletableFuture().join();
  }

  private static void awaitAll(List<? extends RedisFuture<?>> futures) {
    if (!LettuceFutures.awaitAll(Duration.ofSeconds(60), futures.toArray(new RedisFuture<?>[0]))) {
      throw new IllegalStateException("Redis did not answer within 60 s");
    }
  }
}
