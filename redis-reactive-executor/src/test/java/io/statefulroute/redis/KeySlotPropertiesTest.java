package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import io.statefulroute.core.spi.KeySchema;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Properties of the key schema over random namespaces, uids and services (seeded, see {@link
 * RandomInputs}), with the slot function Lettuce routes cluster commands by.
 */
class KeySlotPropertiesTest {
  private final KeySchema keys = KeySchema.defaults();

  @Test
  void randomTriples_linkAndIndexShareOneSlot_stateAndWorkloadShareOneSlot() {
    RandomInputs in = new RandomInputs(1);
    for (int i = 0; i < 20_000; i++) {
      String ns = in.name();
      String uid = in.uid();
      String svc = in.name();
      assertThat(SlotHash.getSlot(keys.link(ns, uid, svc)))
          .as("seed %d case %d", RandomInputs.SEED, i)
          .isEqualTo(SlotHash.getSlot(keys.linkIndex(ns, uid)));
      assertThat(SlotHash.getSlot(keys.state(ns, svc)))
          .isEqualTo(SlotHash.getSlot(keys.workload(ns, svc)));
    }
  }

  @Test
  void randomInputs_keysOfDifferentKindsOrInputsNeverCollide() {
    RandomInputs in = new RandomInputs(2);
    Map<String, String> owner = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      String ns = in.name();
      String uid = in.uid();
      String svc = in.name();
      claim(owner, keys.link(ns, uid, svc), "link\u0001" + ns + "\u0001" + uid + "\u0001" + svc);
      claim(owner, keys.linkIndex(ns, uid), "index\u0001" + ns + "\u0001" + uid);
      claim(owner, keys.state(ns, svc), "state\u0001" + ns + "\u0001" + svc);
      claim(owner, keys.workload(ns, svc), "workload\u0001" + ns + "\u0001" + svc);
    }
    // near misses that a naive scheme would merge
    claim(owner, keys.link("a:b", "c", "d"), "link\u0001a:b\u0001c\u0001d");
    claim(owner, keys.link("a", "b:c", "d"), "link\u0001a\u0001b:c\u0001d");
    claim(owner, keys.link("a", "b", "lk:d"), "link\u0001a\u0001b\u0001lk:d");
    claim(owner, keys.linkIndex("a", "b}:lk:{d"), "index\u0001a\u0001b}:lk:{d");
    claim(owner, keys.state("a", "st"), "state\u0001a\u0001st");
  }

  private static void claim(Map<String, String> owner, String key, String input) {
    String previous = owner.putIfAbsent(key, input);
    assertThat(previous == null || previous.equals(input))
        .as("key %s built from %s and from %s (seed %d)", key, previous, input, RandomInputs.SEED)
        .isTrue();
  }
}
