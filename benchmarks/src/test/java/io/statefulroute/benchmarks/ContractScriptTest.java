package io.statefulroute.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.redis.internal.LuaScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The raw-Lettuce baseline sends the very script text the executor sends. */
class ContractScriptTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "link_set.lua",
        "link_set_if_absent.lua",
        "link_claim.lua",
        "link_replace.lua",
        "link_get_if_persistent.lua",
        "link_get_lease.lua",
        "link_remove.lua",
        "link_remove_if_owner.lua",
        "state_publish.lua",
        "state_read.lua",
        "read_values.lua"
      })
  void body_isTheExecutorsScript(String file) {
    assertThat(ContractScript.body(file)).isEqualTo(LuaScript.load(file).body());
  }

  @Test
  void body_unknownFile_namesThePath() {
    assertThatThrownBy(() -> ContractScript.body("nope.lua"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("io/statefulroute/redis/lua/nope.lua");
  }
}
