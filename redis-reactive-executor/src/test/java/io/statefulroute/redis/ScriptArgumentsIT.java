package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.statefulroute.redis.internal.LuaScript;
import io.statefulroute.redis.internal.Scripts;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every script called straight with bad arguments, bypassing the Java checks: each refuses with
 * {@code SR_ARG} and writes nothing, both on an absent link and on an existing one (the state of
 * the hot path, where a script reads before it checks nothing else); and the spellings of a number
 * that the scripts accept are written in canonical form.
 */
class ScriptArgumentsIT {
  private static final String LINK = "sr:{ns:u}:lk:svc";
  private static final String INDEX = "sr:{ns:u}:lk";
  private static final String REMOVAL = "sr:{ns:u}:lr:svc";
  private static final String PIN = "sr:{ns:u}:pn:svc";
  private static final String CHANNEL = "sr:lc:ns";
  private static final String SUBJECT = "svc:u";
  private static final String[] LINK_KEYS = {LINK, INDEX, REMOVAL, PIN};

  /** Not pod indexes: signs, fractions, exponents, hex, spaces, too large, empty, missing. */
  private static final List<String> BAD_PODS =
      nullable(
          "-1",
          "+1",
          "1.5",
          "1e3",
          "0x10",
          " 1",
          "1 ",
          "",
          "abc",
          "2147483648",
          "99999999999",
          "00000000001",
          null);

  /** Not link TTLs. */
  private static final List<String> BAD_TTLS =
      nullable("0", "-2", "000", "1.5", "1e3", "", "x", "2147483648", null);

  /** Not delays. */
  private static final List<String> BAD_DELAYS =
      nullable("-1", "1.5", "1e3", "", "x", " 5", "1234567890123456", null);

  private static RedisProcess server;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;
  private static RedisCommands<String, String> redis;

  @BeforeAll
  static void start() {
    server = RedisServers.startStandalone();
    client = RedisClient.create(server.uri());
    connection = client.connect();
    redis = connection.sync();
  }

  @AfterAll
  static void stop() {
    connection.close();
    client.shutdown();
    server.close();
  }

  @Test
  void linkWrites_badPodOrTtl_areRefusedWithSrArg_andWriteNothing() {
    for (String bad : BAD_PODS) {
      refused(Scripts.LINK_SET, LINK_KEYS, bad, "60", "svc", CHANNEL, SUBJECT);
      refused(Scripts.LINK_SET_IF_ABSENT, LINK_KEYS, bad, "60", "svc");
      refused(Scripts.LINK_CLAIM, LINK_KEYS, bad, "60", "svc", CHANNEL, SUBJECT);
      refused(Scripts.LINK_REPLACE, LINK_KEYS, bad, "2", "60", "svc", CHANNEL, SUBJECT);
      refused(Scripts.LINK_REPLACE, LINK_KEYS, "1", bad, "60", "svc", CHANNEL, SUBJECT);
      refused(Scripts.LINK_PIN, LINK_KEYS, bad, "svc", CHANNEL, SUBJECT);
      refused(Scripts.LINK_REMOVE_IF_OWNER, LINK_KEYS, bad, "0", "svc", CHANNEL, SUBJECT);
      String[] moveKeys = {LINK, INDEX, PIN};
      refused(Scripts.LINK_MOVE, moveKeys, bad, "2", "svc", CHANNEL, SUBJECT);
      refused(Scripts.LINK_MOVE, moveKeys, "1", bad, "svc", CHANNEL, SUBJECT);
    }
    for (String bad : BAD_TTLS) {
      refused(Scripts.LINK_SET, LINK_KEYS, "2", bad, "svc", CHANNEL, SUBJECT);
      refused(Scripts.LINK_SET_IF_ABSENT, LINK_KEYS, "2", bad, "svc");
      refused(Scripts.LINK_CLAIM, LINK_KEYS, "2", bad, "svc", CHANNEL, SUBJECT);
      refused(Scripts.LINK_REPLACE, LINK_KEYS, "1", "2", bad, "svc", CHANNEL, SUBJECT);
    }
    for (String bad : BAD_DELAYS) {
      refused(Scripts.LINK_REMOVE, LINK_KEYS, bad, "svc", CHANNEL, SUBJECT);
      refused(Scripts.LINK_REMOVE_IF_OWNER, LINK_KEYS, "1", bad, "svc", CHANNEL, SUBJECT);
    }
  }

  @Test
  void stateScripts_badArguments_areRefusedWithSrArg_andWriteNothing() {
    String[] state = {"sr:{ns:svc}:st"};
    String[] cordons = {"sr:{ns:svc}:cd"};
    for (String bad : BAD_PODS) {
      refused(Scripts.STATE_PUBLISH, state, bad, "3", "R", "inc", "60000");
      refused(Scripts.STATE_PUBLISH, state, "0", bad, "R", "inc", "60000");
      refused(Scripts.STATE_CORDON, cordons, bad);
      refused(Scripts.STATE_UNCORDON, cordons, bad);
    }
    for (String bad : nullable("X", "r", "", "RR", null)) {
      refused(Scripts.STATE_PUBLISH, state, "0", "3", bad, "inc", "60000");
    }
    for (String bad : nullable("0", "-1", "1.5", "", null)) {
      refused(Scripts.STATE_PUBLISH, state, "0", "3", "R", "inc", bad);
    }
    String[] lease = {"sr:{ns:svc}:rb", "sr:{ns:svc}:rs"};
    for (String bad : nullable("", "o".repeat(65), null)) {
      refused(Scripts.REBALANCE_LEASE, lease, bad, "1000");
    }
    for (String bad : nullable("0", "-1", "1.5", "", "2147483648", null)) {
      refused(Scripts.REBALANCE_LEASE, lease, "owner", bad);
    }
  }

  @Test
  void acceptedSpellings_areWrittenInCanonicalForm() {
    redis.flushall();
    assertThat(
            eval(Scripts.LINK_SET_IF_ABSENT, ScriptOutputType.VALUE, LINK_KEYS, "007", "60", "svc"))
        .isEqualTo("7");
    assertThat(redis.get(LINK)).isEqualTo("7");
    assertThat(eval(Scripts.LINK_SET, ScriptOutputType.VALUE, LINK_KEYS, "0", "-1", "svc", "", ""))
        .isEqualTo("7");
    assertThat(redis.get(LINK)).isEqualTo("0");
    assertThat(redis.hgetall(INDEX)).isEqualTo(Map.of("svc", "0"));
    assertThat(redis.ttl(LINK)).isEqualTo(-1L);
    redis.set(LINK, "0003"); // a value written by another client: read as pod 3
    assertThat(eval(Scripts.LINK_GET_IF_PERSISTENT, ScriptOutputType.VALUE, new String[] {LINK}))
        .isEqualTo("3");
    Object move =
        eval(
            Scripts.LINK_MOVE,
            ScriptOutputType.MULTI,
            new String[] {LINK, INDEX, PIN},
            "3",
            "4",
            "svc",
            "",
            "");
    assertThat(move).isEqualTo(List.of(1L, 4L));
    assertThat(redis.get(LINK)).isEqualTo("4");
    assertThat(eval(Scripts.LINK_REMOVE, ScriptOutputType.VALUE, LINK_KEYS, "00", "svc", "", ""))
        .isEqualTo("4");
    assertThat(redis.keys("*")).isEmpty();
  }

  /** Refused with SR_ARG on an absent link and on a temporary one, nothing written either time. */
  private static void refused(LuaScript script, String[] keys, String... argv) {
    for (boolean linked : new boolean[] {false, true}) {
      redis.flushall();
      if (linked) {
        redis.set(LINK, "1", SetArgs.Builder.ex(600));
      }
      Map<String, String> before = dump();
      assertThatThrownBy(() -> eval(script, ScriptOutputType.STATUS, keys, argv))
          .as("%s %s, link %s", script.file(), describe(argv), linked ? "temporary" : "absent")
          .isInstanceOf(RedisCommandExecutionException.class)
          .hasMessageStartingWith("SR_ARG ");
      assertThat(dump())
          .as("%s %s: nothing written", script.file(), describe(argv))
          .isEqualTo(before);
    }
  }

  /** EVAL of the script as the executor loads it; a null argument is left out (missing). */
  private static Object eval(
      LuaScript script, ScriptOutputType type, String[] keys, String... argv) {
    List<String> present = new ArrayList<>();
    for (String a : argv) {
      if (a == null) {
        break; // this and the following arguments are missing
      }
      present.add(a);
    }
    return redis.<Object>eval(script.body(), type, keys, present.toArray(new String[0]));
  }

  /** Every key with its type and TTL, and its value when it is a string. */
  private static Map<String, String> dump() {
    Map<String, String> out = new TreeMap<>();
    for (String key : redis.keys("*")) {
      String type = redis.type(key);
      String value = type.equals("string") ? redis.get(key) : "";
      out.put(key, type + " " + value + " ttl " + redis.ttl(key));
    }
    return out;
  }

  private static String describe(String[] argv) {
    List<String> shown = new ArrayList<>();
    for (String a : argv) {
      shown.add(a == null ? "<missing>" : "'" + a + "'");
    }
    return shown.toString();
  }

  private static List<String> nullable(String... values) {
    return java.util.Arrays.asList(values);
  }
}
