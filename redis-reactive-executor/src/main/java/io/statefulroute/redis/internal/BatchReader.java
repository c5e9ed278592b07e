package io.statefulroute.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.statefulroute.core.StatefulExecutor.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Redis executor's batch reads: the values of many keys, read with MGETs of at most {@code
 * batchSize} keys, pipelined, decoded straight into the result array ({@link IndexedOutput}, as
 * {@link BatchDecoding} says); a standalone batch that fits one MGET is one command, with no
 * fan-out. On a cluster, where MGET cannot cross hash slots, the keys of one node are read together
 * with {@code read_values.lua} (per {@code batchSize} keys), falling back to one MGET per slot when
 * a slot has moved.
 *
 * <p>Internal, not API: may change.
 */
public final class BatchReader {
  /** Bound of the MGETs one batch read keeps in flight (see {@link #concurrency}). */
  private static final int MAX_BATCH_COMMANDS = 1024;

  private final CommandFlusher<RedisClusterReactiveCommands<String, String>> flusher;
  private final BoundedCommands commands;
  private final boolean cluster;

  /** The cluster's slot map as Lettuce sees it (null on a standalone Redis). */
  private final @Nullable Supplier<Partitions> partitions;

  private final int batchSize;
  private final int batchConcurrency;
  private final int maxInFlight;

  /**
   * A reader over {@code flusher}, bounding each batch with {@code commands}; {@code partitions} is
   * the cluster's slot map, null on a standalone Redis.
   */
  public BatchReader(
      CommandFlusher<RedisClusterReactiveCommands<String, String>> flusher,
      BoundedCommands commands,
      @Nullable Supplier<Partitions> partitions,
      int batchSize,
      int batchConcurrency,
      int maxInFlight) {
    this.flusher = flusher;
    this.commands = commands;
    this.cluster = partitions != null;
    this.partitions = partitions;
    this.batchSize = batchSize;
    this.batchConcurrency = batchConcurrency;
    this.maxInFlight = maxInFlight;
  }

  /**
   * The values of {@code keys} in their order, null where a key has no string value; bounded by the
   * command timeout as a whole, errors typed under {@code operation} (the batch read that was
   * called: one reader, and one {@code read_values.lua}, serve every batch read). On a cluster the
   * keys are read node by node (see {@link #readOnNode}).
   */
  public <R> Mono<R> read(Operation operation, String[] keyArray, BatchDecoding<R> decoding) {
    if (keyArray.length == 0) {
      return Mono.fromSupplier(() -> decoding.newResult(0));
    }
    if (!cluster && keyArray.length <= batchSize) {
      return commands.direct().mget(operation, keyArray, decoding);
    }
    List<Chunk> chunks = cluster ? nodeChunks(keyArray) : chunks(keyArray);
    return commands.bound(
        operation,
        Mono.defer(
            () -> {
              R values = decoding.newResult(keyArray.length);
              return Flux.fromIterable(chunks)
                  .flatMap(
                      chunk ->
                          chunk.byNode
                              ? readOnNode(decoding, values, keyArray, chunk.index)
                              : readBySlot(decoding, values, keyArray, chunk.index),
                      concurrency(keyArray.length, chunks.size()))
                  .then(Mono.fromCallable(() -> values));
            }));
  }

  /** Keys read together: with one MGET (one slot), or with read_values.lua on one node. */
  @SuppressWarnings("ArrayRecordComponent") // a plan step: never compared or hashed
  private record Chunk(int[] index, boolean byNode) {}

  /** One MGET of the keys at {@code index} (of one slot on a cluster). */
  private <R> Mono<R> readBySlot(
      BatchDecoding<R> decoding, R values, String[] keyArray, int[] index) {
    String[] chunkKeys = select(keyArray, index);
    return flusher.execute(c -> mget(c, decoding.output(values, index), chunkKeys));
  }

  /**
   * The keys at {@code index}, all served by one node as far as Lettuce's view of the cluster goes,
   * read with one call of {@code read_values.lua} on that node (routed by the first key). When the
   * call fails with an error reply (a slot moved since: Redis refuses a key it does not serve; or a
   * server without the script's flags), the keys are read slot by slot with MGETs, which Lettuce
   * redirects as usual.
   */
  private <R> Mono<R> readOnNode(
      BatchDecoding<R> decoding, R values, String[] keyArray, int[] index) {
    String[] chunkKeys = select(keyArray, index);
    return flusher
        .execute(
            c ->
                readValues(
                    c, Scripts.READ_VALUES, false, decoding.output(values, index), chunkKeys))
        .onErrorResume(
            RedisNoScriptException.class,
            noScript ->
                flusher.execute(
                    c ->
                        readValues(
                            c,
                            Scripts.READ_VALUES,
                            true,
                            decoding.output(values, index),
                            chunkKeys)))
        .onErrorResume(
            e -> e instanceof RedisCommandExecutionException,
            refused ->
                Flux.fromIterable(chunks(chunkKeys))
                    .flatMap(
                        sub -> readBySlot(decoding, values, keyArray, compose(index, sub.index)))
                    .then(Mono.just(values)));
  }

  /** One MGET of {@code keys}, its values written into {@code values} (see the output). */
  private static <R> Flux<R> mget(
      RedisClusterReactiveCommands<String, String> c,
      CommandOutput<String, String, R> output,
      String[] keys) {
    return c.dispatch(CommandType.MGET, output, EncodedArguments.keys(keys));
  }

  /** EVALSHA (or EVAL) of read_values.lua, routed by the first key, values into {@code values}. */
  private static <R> Flux<R> readValues(
      RedisClusterReactiveCommands<String, String> c,
      LuaScript script,
      boolean eval,
      CommandOutput<String, String, R> output,
      String[] keys) {
    CommandArgs<String, String> args =
        new CommandArgs<>(StringCodec.UTF8)
            .add(EncodedArguments.utf8(eval ? script.body() : script.sha()))
            .add(1)
            .addKey(keys[0]);
    for (String key : keys) {
      args.add(EncodedArguments.utf8(key));
    }
    return c.dispatch(eval ? CommandType.EVAL : CommandType.EVALSHA, output, args);
  }

  private static String[] select(String[] keyArray, int[] index) {
    String[] out = new String[index.length];
    for (int j = 0; j < index.length; j++) {
      out[j] = keyArray[index[j]];
    }
    return out;
  }

  /** {@code outer[inner[j]]} for each j: positions of a sub-chunk in the whole batch. */
  private static int[] compose(int[] outer, int[] inner) {
    int[] out = new int[inner.length];
    for (int j = 0; j < inner.length; j++) {
      out[j] = outer[inner[j]];
    }
    return out;
  }

  /**
   * MGETs in flight at once: {@code batchConcurrency}, or more when the chunks are small, so that
   * up to batchConcurrency x batchSize keys are in flight. On a cluster, chunks hold one slot's
   * keys each, and the uids of one batch spread over thousands of slots: 16 one-key MGETs at a time
   * would make a batch of 10,000 uids hundreds of round trips long. Bounded by {@value
   * #MAX_BATCH_COMMANDS} and by a share of the room left under {@code maxInFlight} when the batch
   * starts (an eighth; half for the first batchConcurrency), so that batches running together slow
   * down instead of tripping the in-flight limit with their own MGETs.
   */
  private int concurrency(int keys, int chunks) {
    int perChunk = Math.max(1, keys / chunks);
    long wanted =
        Math.max(
            batchConcurrency,
            Math.min(MAX_BATCH_COMMANDS, (long) batchConcurrency * batchSize / perChunk));
    long room = Math.max(0, maxInFlight - flusher.inFlight());
    long allowed = Math.max(Math.min(batchConcurrency, room / 2), room / 8);
    return (int) Math.max(1, Math.min(chunks, Math.min(wanted, allowed)));
  }

  /** Index chunks of at most batchSize keys; on a cluster each chunk holds one slot's keys. */
  private List<Chunk> chunks(String[] keyArray) {
    int size = batchSize;
    List<Chunk> out = new ArrayList<>();
    if (!cluster) {
      for (int from = 0; from < keyArray.length; from += size) {
        int to = Math.min(keyArray.length, from + size);
        int[] idx = new int[to - from];
        for (int i = from; i < to; i++) {
          idx[i - from] = i;
        }
        out.add(new Chunk(idx, false));
      }
      return out;
    }
    Map<Integer, List<Integer>> bySlot = new HashMap<>();
    for (int i = 0; i < keyArray.length; i++) {
      bySlot.computeIfAbsent(SlotHash.getSlot(keyArray[i]), s -> new ArrayList<>()).add(i);
    }
    bySlot.values().forEach(group -> split(group, size, false, out));
    return out;
  }

  /**
   * Index chunks of at most batchSize keys for a cluster: the keys of one node together (read with
   * read_values.lua), as Lettuce's view of the cluster assigns slots to nodes; keys of a slot that
   * view gives no node are chunked by slot (MGET, redirected by Lettuce).
   */
  private List<Chunk> nodeChunks(String[] keyArray) {
    Partitions view =
        Objects.requireNonNull(partitions, "node chunks are planned on a cluster only").get();
    Map<String, List<Integer>> byNode = new HashMap<>();
    List<Integer> unassigned = new ArrayList<>();
    for (int i = 0; i < keyArray.length; i++) {
      RedisClusterNode node = view.getPartitionBySlot(SlotHash.getSlot(keyArray[i]));
      if (node == null) {
        unassigned.add(i);
      } else {
        byNode.computeIfAbsent(node.getNodeId(), n -> new ArrayList<>()).add(i);
      }
    }
    List<Chunk> out = new ArrayList<>();
    byNode.values().forEach(group -> split(group, batchSize, true, out));
    if (!unassigned.isEmpty()) {
      int[] idx = unassigned.stream().mapToInt(Integer::intValue).toArray();
      for (Chunk c : chunks(select(keyArray, idx))) {
        out.add(new Chunk(compose(idx, c.index), false));
      }
    }
    return out;
  }

  private static void split(List<Integer> group, int size, boolean byNode, List<Chunk> out) {
    for (int from = 0; from < group.size(); from += size) {
      List<Integer> part = group.subList(from, Math.min(group.size(), from + size));
      out.add(new Chunk(part.stream().mapToInt(Integer::intValue).toArray(), byNode));
    }
  }
}
