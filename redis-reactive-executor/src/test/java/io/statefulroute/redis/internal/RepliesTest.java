package io.statefulroute.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.LinkLease;
import io.statefulroute.core.StatefulExecutor.Operation;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Undecodable replies are CorruptDataExceptions naming the operation called, by its tag. */
class RepliesTest {

  @Test
  void pod_notAPodIndex_namesTheOperation() {
    assertThat(Replies.pod(Operation.GET_LINK, "7")).isEqualTo(7);
    assertThat(Replies.pod(Operation.GET_LINK, 7L)).isEqualTo(7);
    for (Object raw : new Object[] {"not-a-pod", -1L, "", 1.5}) {
      assertThatThrownBy(() -> Replies.pod(Operation.GET_LINK, raw))
          .as("%s", raw)
          .isExactlyInstanceOf(CorruptDataException.class)
          .hasMessage("get_link: stored link is not a pod index");
    }
  }

  @Test
  void placement_namesWhicheverOperationTheScriptServed() {
    // one script (link_set_if_absent.lua) serves two operations: the error names the one called
    assertThat(Replies.placement(Operation.SET_LINK_IF_ABSENT, "3", 60))
        .isEqualTo(LinkLease.expiring(3, Duration.ofSeconds(60)));
    assertThat(Replies.placement(Operation.SET_LINK_IF_ABSENT_LEASE, "3:-1", 60))
        .isEqualTo(LinkLease.persistent(3));
    assertThatThrownBy(() -> Replies.placement(Operation.SET_LINK_IF_ABSENT, "x", 60))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage("set_link_if_absent: stored link is not a pod index");
    assertThatThrownBy(() -> Replies.placement(Operation.SET_LINK_IF_ABSENT_LEASE, "x:5", 60))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage("set_link_if_absent_lease: stored link is not a pod index");
    assertThatThrownBy(() -> Replies.placement(Operation.SET_LINK_IF_ABSENT_LEASE, "3:soon", 60))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage("set_link_if_absent_lease: unexpected reply 3:soon");
  }

  @Test
  void scriptReplies_nameTheOperation() {
    assertThatThrownBy(() -> Replies.lease(Operation.GET_LINK_LEASE, List.of("x", 10L)))
        .hasMessage("get_link_lease: stored link is not a pod index");
    assertThatThrownBy(() -> Replies.claim(Operation.CLAIM_LINK, Arrays.asList(1L, 2L, "x")))
        .hasMessage("claim_link: stored link is not a pod index");
    assertThatThrownBy(() -> Replies.replace(Operation.REPLACE_LINK, List.of(1L, "x", 0L)))
        .hasMessage("replace_link: stored link is not a pod index");
    assertThatThrownBy(() -> Replies.snapshot(Operation.READ_STATE, List.of(1L)))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage("read_state: unexpected reply shape");
  }
}
