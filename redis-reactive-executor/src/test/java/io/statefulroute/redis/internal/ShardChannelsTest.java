package io.statefulroute.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.cluster.SlotHash;
import io.statefulroute.core.spi.KeySchema;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardChannelsTest {
  private static final KeySchema KEYS = KeySchema.defaults();

  @Test
  void tags_oneForEverySlot_eachHashesToItsSlot_shortestFirst() {
    Set<String> distinct = new HashSet<>();
    int longest = 0;
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      String tag = ShardChannels.tag(slot);
      assertThat(SlotHash.getSlot(tag)).as("slot of tag %s", tag).isEqualTo(slot);
      assertThat(tag).matches("[0-9a-z]{1,4}");
      distinct.add(tag);
      longest = Math.max(longest, tag.length());
    }
    assertThat(distinct).hasSize(SlotHash.SLOT_COUNT);
    assertThat(longest).isEqualTo(4);
    // the data contract's rule: the first string, shortest first, in the order 0-9a-z
    assertThat(ShardChannels.tag(SlotHash.getSlot("0"))).isEqualTo("0");
    assertThat(ShardChannels.tag(SlotHash.getSlot("z"))).isEqualTo("z");
  }

  @Test
  void channel_isInTheSlotOfTheUidsKeys() {
    ShardChannels shards = new ShardChannels(KEYS);
    for (int i = 0; i < 500; i++) {
      String link = KEYS.link("ns-1", "user{" + i, "game");
      String channel = shards.channel("ns-1", link);
      assertThat(SlotHash.getSlot(channel)).isEqualTo(SlotHash.getSlot(link));
      assertThat(channel).startsWith(KEYS.linkChannel("ns-1") + ":{").endsWith("}");
      assertThat(ShardChannels.namespaceChannel(channel)).isEqualTo(KEYS.linkChannel("ns-1"));
    }
  }

  @Test
  void channels_everySlotOnce_inSlotOrder() {
    List<String> all = new ShardChannels(KEYS).channels("ns");
    assertThat(all).hasSize(SlotHash.SLOT_COUNT).doesNotHaveDuplicates();
    for (int slot = 0; slot < all.size(); slot += 1000) {
      assertThat(SlotHash.getSlot(all.get(slot))).isEqualTo(slot);
    }
  }

  @Test
  void namespaceChannel_ofAClassicChannel_isNull() {
    assertThat(ShardChannels.namespaceChannel(KEYS.linkChannel("ns"))).isNull();
  }

  @Test
  void linkShardChannel_badTag_isRefused() {
    assertThatThrownBy(() -> KEYS.linkShardChannel("ns", "a}b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slotTag");
    assertThatThrownBy(() -> KEYS.linkShardChannel("ns", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
