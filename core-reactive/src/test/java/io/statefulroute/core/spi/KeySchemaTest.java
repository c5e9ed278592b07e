package io.statefulroute.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeySchemaTest {
  private static final String ALPHABET = "ab:{}%% \t\n\u0000\u007f\u0085é用😀";
  private final KeySchema keys = KeySchema.defaults();

  @Test
  void link_plainComponents_followTheContract() {
    assertThat(keys.link("eu", "42", "game")).isEqualTo("sr:{eu:42}:lk:game");
    assertThat(keys.linkIndex("eu", "42")).isEqualTo("sr:{eu:42}:lk");
    assertThat(keys.state("eu", "game")).isEqualTo("sr:{eu:game}:st");
    assertThat(keys.workload("eu", "game")).isEqualTo("sr:{eu:game}:wl");
    assertThat(new KeySchema("app1").link("eu", "42", "game")).isEqualTo("app1:{eu:42}:lk:game");
  }

  @Test
  void escape_separatorsBracesPercentAndControls_arePercentEncoded() {
    assertThat(KeySchema.escape("a:b{c}d%e\n")).isEqualTo("a%3Ab%7Bc%7Dd%25e%0A");
    String plain = "plain-ü";
    assertThat(KeySchema.escape(plain)).isSameAs(plain);
  }

  /** Seeded random search: distinct triples never share a key; the hash tag is exactly one. */
  @Test
  void randomTriples_distinctTriplesGiveDistinctKeys_andOneHashTag() {
    Random random = new Random(20261128L);
    Map<String, String> tripleByKey = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      String ns = randomText(random);
      String uid = randomText(random);
      String svc = randomText(random);
      String triple = ns + "\u0001" + uid + "\u0001" + svc;
      String key = keys.link(ns, uid, svc);
      String previous = tripleByKey.putIfAbsent(key, triple);
      assertThat(previous == null || previous.equals(triple))
          .as("key %s of %s and %s", key, previous, triple)
          .isTrue();
      assertThat(hashTag(key)).isEqualTo(hashTag(keys.linkIndex(ns, uid)));
      assertThat(key.chars().filter(c -> c == '{').count()).isEqualTo(1);
      assertThat(key.chars().filter(c -> c == '}').count()).isEqualTo(1);
    }
  }

  /** The batch form is the single form, key for key, for any components. */
  @Test
  void links_equalLinkOfEachUid() {
    Random random = new Random(7L);
    for (int round = 0; round < 2_000; round++) {
      String ns = randomText(random);
      String svc = randomText(random);
      String[] uids = new String[1 + random.nextInt(5)];
      for (int i = 0; i < uids.length; i++) {
        uids[i] = randomText(random);
      }
      String[] batch = keys.links(ns, uids, svc);
      for (int i = 0; i < uids.length; i++) {
        assertThat(batch[i]).isEqualTo(keys.link(ns, uids[i], svc));
      }
    }
    assertThatThrownBy(() -> keys.links("eu", new String[] {"1", ""}, "game"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("uid");
  }

  /**
   * The keys of the link scripts, built in one call, are the single keys, for any components and
   * whether or not the namespace repeats (the last namespace's head is reused).
   */
  @Test
  void linkKeys_equalTheSingleKeys_forRepeatedAndAlternatingNamespaces() {
    Random random = new Random(20261203L);
    String[] namespaces = {randomText(random), randomText(random), "eu"};
    for (int i = 0; i < 20_000; i++) {
      String ns = random.nextBoolean() ? namespaces[random.nextInt(3)] : randomText(random);
      String uid = randomText(random);
      String svc = randomText(random);
      assertThat(keys.linkKeys(ns, uid, svc))
          .containsExactly(
              keys.link(ns, uid, svc),
              keys.linkIndex(ns, uid),
              keys.linkRemoval(ns, uid, svc),
              keys.linkPin(ns, uid, svc));
    }
    assertThat(keys.linkKeys("eu", "42", "game"))
        .containsExactly(
            "sr:{eu:42}:lk:game", "sr:{eu:42}:lk", "sr:{eu:42}:lr:game", "sr:{eu:42}:pn:game");
  }

  /** Bad arguments fail in argument order, also right after the namespace was used (cached). */
  @Test
  void linkKeys_badArguments_failByName_evenAfterTheNamespaceWasCached() {
    keys.linkKeys("eu", "42", "game");
    assertThatThrownBy(() -> keys.linkKeys(null, "42", "game"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("namespace");
    assertThatThrownBy(() -> keys.linkKeys("", "", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("namespace");
    assertThatThrownBy(() -> keys.linkKeys("eu", "", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("uid");
    assertThatThrownBy(() -> keys.linkKeys("eu", "42", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service");
    assertThatThrownBy(() -> keys.linkKeys("eu", "42", "game\ud800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service");
    assertThat(keys.linkKeys("eu", "7", "game")[0]).isEqualTo("sr:{eu:7}:lk:game");
  }

  @Test
  void linkIndexPattern_globCharactersOfPrefixAndNamespace_areBackslashEscaped() {
    assertThat(keys.linkIndexPattern("eu")).isEqualTo("sr:{eu:*}:lk");
    assertThat(new KeySchema("a*b?").linkIndexPattern("n?[x]\\*"))
        .isEqualTo("a\\*b\\?:{n\\?\\[x\\]\\\\\\*:*}:lk");
    assertThat(keys.linkIndexPattern("a:b{c}")).isEqualTo("sr:{a%3Ab%7Bc%7D:*}:lk");
    assertThatThrownBy(() -> keys.linkIndexPattern(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Seeded random search: an index key gives back its uid; no other key gives one. */
  @Test
  void uidOfLinkIndex_indexKeysGiveTheirUid_otherKeysNone() {
    Random random = new Random(20261201L);
    for (int i = 0; i < 50_000; i++) {
      String ns = randomText(random);
      String uid = randomText(random);
      String svc = randomText(random);
      assertThat(keys.uidOfLinkIndex(ns, keys.linkIndex(ns, uid))).isEqualTo(uid);
      assertThat(keys.uidOfLinkIndex(ns, keys.link(ns, uid, svc))).isNull();
      assertThat(keys.uidOfLinkIndex(ns, keys.linkRemoval(ns, uid, svc))).isNull();
      assertThat(keys.uidOfLinkIndex(ns, keys.state(ns, svc))).isNull();
      String other = randomText(random);
      if (!other.equals(ns)) {
        assertThat(keys.uidOfLinkIndex(ns, keys.linkIndex(other, uid))).isNull();
      }
    }
  }

  @Test
  void uidOfLinkIndex_keysNoUidEscapesTo_giveNone() {
    assertThat(keys.uidOfLinkIndex("eu", "sr:{eu:a}b}:lk")).isNull(); // raw brace
    assertThat(keys.uidOfLinkIndex("eu", "sr:{eu:a:b}:lk")).isNull(); // raw separator
    assertThat(keys.uidOfLinkIndex("eu", "sr:{eu:%ZZ}:lk")).isNull(); // malformed escape
    assertThat(keys.uidOfLinkIndex("eu", "sr:{eu:%4}:lk")).isNull(); // truncated escape
    assertThat(keys.uidOfLinkIndex("eu", "sr:{eu:%61}:lk")).isNull(); // 'a' is never escaped
    assertThat(keys.uidOfLinkIndex("eu", "sr:{eu:}:lk")).isNull(); // empty uid
    assertThat(keys.uidOfLinkIndex("eu", "sr:{eu:" + "x".repeat(Args.MAX_UID_LENGTH + 1) + "}:lk"))
        .isNull();
    assertThat(keys.uidOfLinkIndex("eu", "other:{eu:a}:lk")).isNull();
    assertThat(keys.uidOfLinkIndex("eu", "sr:{eu:a}:lkx")).isNull();
    assertThat(keys.uidOfLinkIndex("eu", "sr:{eu:%7B%3A}:lk")).isEqualTo("{:");
  }

  @Test
  void prefix_invalid_isRejected() {
    assertThatThrownBy(() -> new KeySchema("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeySchema("a{b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeySchema(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeySchema("x".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String hashTag(String key) {
    int open = key.indexOf('{');
    return key.substring(open + 1, key.indexOf('}', open));
  }

  private static String randomText(Random random) {
    int len = 1 + random.nextInt(4);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      int cp =
          ALPHABET.codePointAt(
              ALPHABET.offsetByCodePoints(
                  0, random.nextInt(ALPHABET.codePointCount(0, ALPHABET.length()))));
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }
}
