package io.statefulroute.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EvictionPolicyTest {
  @Test
  void fromInfo_readsThePolicyLine() {
    String info = "# Memory\r\nused_memory:1000\r\nmaxmemory:0\r\nmaxmemory_policy:allkeys-lru\r\n";
    assertThat(EvictionPolicy.fromInfo(info)).contains(new EvictionPolicy("allkeys-lru"));
    assertThat(EvictionPolicy.fromInfo("# Memory\r\nused_memory:1\r\n")).isEmpty();
    assertThat(EvictionPolicy.fromInfo(null)).isEmpty();
  }

  @Test
  void canEvictLinks_onlyNoevictionIsSafe() {
    assertThat(new EvictionPolicy("noeviction").canEvictLinks()).isFalse();
    for (String p :
        new String[] {
          "volatile-lru",
          "volatile-lfu",
          "volatile-ttl",
          "volatile-random",
          "allkeys-lru",
          "allkeys-lfu",
          "allkeys-random"
        }) {
      assertThat(new EvictionPolicy(p).canEvictLinks()).as(p).isTrue();
      assertThat(new EvictionPolicy(p).warning("n:1")).contains(p).contains("noeviction");
    }
  }
}
