package io.statefulroute.core.state;

import io.statefulroute.core.PodState;
import java.util.Optional;

/**
 * A transition of one pod seen between two consecutive state reads of a service.
 *
 * @param namespace the namespace
 * @param service the service
 * @param pod the pod index
 * @param kind what changed
 * @param previous the record before (empty for {@link Kind#APPEARED} of a new pod)
 * @param current the record after (empty for {@link Kind#REMOVED})
 */
public record PodStateChange(
    String namespace,
    String service,
    int pod,
    Kind kind,
    Optional<PodState> previous,
    Optional<PodState> current) {

  /** The kinds of transition, one per pod per refresh, in this order of precedence. */
  public enum Kind {
    /** The pod became fresh: new, or publishing again after going stale. */
    APPEARED,
    /** The pod published a new incarnation id: its process restarted. */
    RESTARTED,
    /** The routing state changed (READY, DENY_NEW_CALL, SHUTDOWN). */
    ROUTING_STATE_CHANGED,
    /** The load changed. */
    LOAD_CHANGED,
    /** The pod's record is older than the state expiry: it stopped publishing. */
    WENT_STALE,
    /** The pod's record is gone (pruned). */
    REMOVED
  }
}
