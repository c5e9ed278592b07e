package io.statefulroute.redis;

import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.spi.OptionsText;
import java.time.Duration;

/**
 * Immutable options of {@link RedisStatefulExecutor}. Built by {@link #builder()}; each setter
 * validates its argument at once and throws {@link IllegalArgumentException}.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>keyPrefix</td><td>{@code sr}</td><td>first component of every key</td></tr>
 *   <tr><td>commandTimeout</td><td>2 s</td><td>each operation (a script call, a batch) ends
 *       with a result or a {@code StoreTimeoutException} within this time</td></tr>
 *   <tr><td>batchSize</td><td>512</td><td>keys per command in batch reads (an MGET; on a
 *       cluster, a node's call of {@code read_values.lua}); the {@code COUNT} of each SCAN step
 *       of {@code listPersistentLinks}</td></tr>
 *   <tr><td>batchConcurrency</td><td>16</td><td>commands of one batch read in flight at once
 *       (more when they are small, as the one-slot MGETs a cluster batch falls back to when a
 *       slot moved: up to batchConcurrency x batchSize keys, at most 1,024 commands, in
 *       flight); also the link reads one {@code listPersistentLinks} keeps in flight</td></tr>
 *   <tr><td>coalesceFlushes</td><td>true</td><td>flush commands issued while 32 or more are in
 *       flight together (below that each is flushed at once)</td></tr>
 *   <tr><td>maxCommandsPerFlush</td><td>64</td><td>a flush is forced when this many commands
 *       wait</td></tr>
 *   <tr><td>announceLinkChanges</td><td>true</td><td>link scripts PUBLISH each change on the
 *       namespace's channel, for clients' cache coherence (turn off when no client caches
 *       links: on a cluster each PUBLISH is broadcast to every node)</td></tr>
 *   <tr><td>shardedAnnouncements</td><td>true</td><td>on a Redis Cluster, link changes are
 *       announced with {@code SPUBLISH} on the sharded channel of the uid's slot and heard with
 *       {@code SSUBSCRIBE} (delivered within the slot's shard, not broadcast to every node: see
 *       docs/cluster-announcements.md); false: {@code PUBLISH} on the namespace's channel, as on a
 *       standalone Redis. Every executor of a fleet must agree</td></tr>
 *   <tr><td>linkEventsReconnectAfter</td><td>5 s</td><td>a link-event subscription down this
 *       long gets a new connection (on a cluster, possibly to another node)</td></tr>
 *   <tr><td>maxInFlight</td><td>10,000</td><td>commands sent and not completed; past it a call
 *       fails at once with {@code StoreOverloadedException} (a slow Redis never builds an
 *       unbounded queue)</td></tr>
 * </table>
 */
public final class RedisExecutorOptions {
  private static final RedisExecutorOptions DEFAULTS = builder().build();

  private final String keyPrefix;
  private final Duration commandTimeout;
  private final int batchSize;
  private final int batchConcurrency;
  private final boolean coalesceFlushes;
  private final int maxCommandsPerFlush;
  private final boolean announceLinkChanges;
  private final boolean shardedAnnouncements;
  private final Duration linkEventsReconnectAfter;
  private final int maxInFlight;

  private RedisExecutorOptions(Builder b) {
    this.keyPrefix = b.keyPrefix;
    this.commandTimeout = b.commandTimeout;
    this.batchSize = b.batchSize;
    this.batchConcurrency = b.batchConcurrency;
    this.coalesceFlushes = b.coalesceFlushes;
    this.maxCommandsPerFlush = b.maxCommandsPerFlush;
    this.announceLinkChanges = b.announceLinkChanges;
    this.shardedAnnouncements = b.shardedAnnouncements;
    this.linkEventsReconnectAfter = b.linkEventsReconnectAfter;
    this.maxInFlight = b.maxInFlight;
  }

  public static RedisExecutorOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding these options, to change some of them. It copies through the builder's own
   * setters, so every option is validated again and a bad value set on it is refused at once.
   */
  public Builder toBuilder() {
    return new Builder()
        .keyPrefix(keyPrefix)
        .commandTimeout(commandTimeout)
        .batchSize(batchSize)
        .batchConcurrency(batchConcurrency)
        .coalesceFlushes(coalesceFlushes)
        .maxCommandsPerFlush(maxCommandsPerFlush)
        .announceLinkChanges(announceLinkChanges)
        .shardedAnnouncements(shardedAnnouncements)
        .linkEventsReconnectAfter(linkEventsReconnectAfter)
        .maxInFlight(maxInFlight);
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  public Duration commandTimeout() {
    return commandTimeout;
  }

  public int batchSize() {
    return batchSize;
  }

  public int batchConcurrency() {
    return batchConcurrency;
  }

  public boolean coalesceFlushes() {
    return coalesceFlushes;
  }

  public int maxCommandsPerFlush() {
    return maxCommandsPerFlush;
  }

  public boolean announceLinkChanges() {
    return announceLinkChanges;
  }

  public boolean shardedAnnouncements() {
    return shardedAnnouncements;
  }

  public Duration linkEventsReconnectAfter() {
    return linkEventsReconnectAfter;
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  /** Every option as {@code name=value}, in declaration order. */
  @Override
  public String toString() {
    return OptionsText.of("RedisExecutorOptions")
        .add("keyPrefix", keyPrefix)
        .add("commandTimeout", commandTimeout)
        .add("batchSize", batchSize)
        .add("batchConcurrency", batchConcurrency)
        .add("coalesceFlushes", coalesceFlushes)
        .add("maxCommandsPerFlush", maxCommandsPerFlush)
        .add("announceLinkChanges", announceLinkChanges)
        .add("shardedAnnouncements", shardedAnnouncements)
        .add("linkEventsReconnectAfter", linkEventsReconnectAfter)
        .add("maxInFlight", maxInFlight)
        .toString();
  }

  /** Builds {@link RedisExecutorOptions}; not thread-safe. */
  public static final class Builder {
    private String keyPrefix = KeySchema.DEFAULT_PREFIX;
    private Duration commandTimeout = Duration.ofSeconds(2);
    private int batchSize = 512;
    private int batchConcurrency = 16;
    private boolean coalesceFlushes = true;
    private int maxCommandsPerFlush = 64;
    private boolean announceLinkChanges = true;
    private boolean shardedAnnouncements = true;
    private Duration linkEventsReconnectAfter = Duration.ofSeconds(5);
    private int maxInFlight = 10_000;

    private Builder() {}

    /** First component of every key: 1-64 characters, no braces or control characters. */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = KeySchema.validPrefix(keyPrefix);
      return this;
    }

    /** Positive, at most one hour. */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = Args.positive("commandTimeout", commandTimeout, Duration.ofHours(1));
      return this;
    }

    /** Keys per MGET of a batch read, 1 to 10,000. */
    public Builder batchSize(int batchSize) {
      this.batchSize = Args.inRange("batchSize", batchSize, 1, 10_000);
      return this;
    }

    /** MGETs of one batch read in flight at once, 1 to 1,024. */
    public Builder batchConcurrency(int batchConcurrency) {
      this.batchConcurrency = Args.inRange("batchConcurrency", batchConcurrency, 1, 1024);
      return this;
    }

    /** Whether concurrently issued commands share socket flushes (default true). */
    public Builder coalesceFlushes(boolean coalesceFlushes) {
      this.coalesceFlushes = coalesceFlushes;
      return this;
    }

    /** Commands waiting that force a flush, 1 to 4,096. */
    public Builder maxCommandsPerFlush(int maxCommandsPerFlush) {
      this.maxCommandsPerFlush = Args.inRange("maxCommandsPerFlush", maxCommandsPerFlush, 1, 4096);
      return this;
    }

    /**
     * Whether link scripts announce each change on the namespace's channel (default true). Clients
     * that cache links need it to stay coherent; see {@code LinkEvent}.
     */
    public Builder announceLinkChanges(boolean announceLinkChanges) {
      this.announceLinkChanges = announceLinkChanges;
      return this;
    }

    /**
     * Whether, on a Redis Cluster, link changes are announced on sharded channels ({@code SPUBLISH}
     * / {@code SSUBSCRIBE}, one channel per namespace and slot) rather than on the namespace's
     * channel (default true; ignored on a standalone Redis). An executor of one kind does not hear
     * the announcements of the other: every executor of a fleet must agree, so a fleet upgraded
     * from a version without sharded announcements sets false until none is left.
     */
    public Builder shardedAnnouncements(boolean shardedAnnouncements) {
      this.shardedAnnouncements = shardedAnnouncements;
      return this;
    }

    /** Positive, at most one hour. */
    public Builder linkEventsReconnectAfter(Duration linkEventsReconnectAfter) {
      this.linkEventsReconnectAfter =
          Args.positive("linkEventsReconnectAfter", linkEventsReconnectAfter, Duration.ofHours(1));
      return this;
    }

    /**
     * Commands sent and not completed, 1 to 1,000,000 (default 10,000). A call issued past it is
     * not sent: it fails at once with {@code StoreOverloadedException}. Every command also ends
     * within {@code commandTimeout}, so the bound is reached only when Redis is slower than the
     * calls arrive. A batch read counts one per MGET in flight.
     */
    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = Args.inRange("maxInFlight", maxInFlight, 1, 1_000_000);
      return this;
    }

    /** The options set so far (there is no cross-field rule). */
    public RedisExecutorOptions build() {
      return new RedisExecutorOptions(this);
    }
  }
}
