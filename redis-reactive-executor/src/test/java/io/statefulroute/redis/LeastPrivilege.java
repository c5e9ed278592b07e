package io.statefulroute.redis;

import io.statefulroute.test.redis.RedisProcess;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The least-privilege ACL user docs/failure-model.md documents, for the key prefix {@code sr}: the
 * commands the executor sends (EVALSHA, EVAL on NOSCRIPT, GET, MGET, HGETALL, SET, SCAN for
 * listings), the commands its scripts call (Redis 7 checks those against the caller's ACL too),
 * pub/sub on channels under the prefix (cache invalidation), and what Lettuce needs for a cluster's
 * topology (CLUSTER NODES). Lettuce's HELLO and AUTH need no grant; found by running the contract
 * with fewer rules and reading the NOPERM errors.
 */
final class LeastPrivilege {
  static final String USER = "stateful-route";
  static final String PASSWORD = "s3cret-acl-pass";

  /**
   * The rules after {@code ACL SETUSER <user>}, as docs/failure-model.md quotes them (password
   * elided).
   */
  static final String RULES =
      "on resetkeys ~sr:* resetchannels &sr:* -@all"
          + " +evalsha +eval +get +mget +hgetall +set +hset +hdel +del +exists +expire +pexpire"
          + " +pttl"
          + " +time +ping +info +scan"
          + " +publish +subscribe +unsubscribe +spublish +ssubscribe +sunsubscribe +cluster|nodes";

  private LeastPrivilege() {}

  /** Creates the user on one server (run it on every node of a cluster: ACLs are per node). */
  static void create(RedisProcess server) {
    List<String> args = new ArrayList<>(List.of("ACL", "SETUSER", USER, ">" + PASSWORD));
    args.addAll(Arrays.asList(RULES.split(" ")));
    String reply = server.redisCli(args.toArray(new String[0]));
    if (!"OK".equals(reply)) {
      throw new IllegalStateException("ACL SETUSER replied " + reply);
    }
  }
}
