package io.statefulroute.core.spi;

import org.jspecify.annotations.Nullable;

/**
 * The Redis key contract (see lua/README.md). Every component is escaped so that no input can move
 * a hash tag or collide with another key: {@code %}, <code>{</code>, <code>}</code>, {@code :} and
 * control characters (all below U+00A0) are percent-encoded as {@code %XX}, which makes the
 * encoding injective. Empty components are rejected by {@link Args} before a key is built.
 *
 * <pre>
 *   prefix:{ns:uid}:lk:svc   string  the link (pod index); TTL = temporary, none = persistent
 *   prefix:{ns:uid}:lk       hash    link index svc -> pod, persistent links only
 *   prefix:{ns:uid}:lr:svc   string  delayed-removal marker: lives exactly as long as the link
 *                                    in delayed removal (set-if-absent then leaves it alone)
 *   prefix:{ns:svc}:st       hash    pod index -> pod state record
 *   prefix:{ns:svc}:wl       string  workload state
 *   prefix:{ns:svc}:cd       hash    operator cordons: pod index -> server millis of the cordon
 *   prefix:{ns:uid}:pn:svc   string  operator pin marker: the pinned pod (a pin is in force while
 *                                    the link is persistent and names that pod)
 * </pre>
 *
 * The link and its index share the hash tag {@code {ns:uid}}: one cluster slot per uid.
 */
public final class KeySchema {
  public static final String DEFAULT_PREFIX = "sr";

  /** What follows a uid's hash tag in its link index key. */
  private static final String INDEX_TAIL = ":lk";

  private final String prefix;

  /**
   * The last namespace's {@link #tagHead}: most calls of a process name one namespace, whose head
   * is then neither checked, escaped nor joined again (a namespace equal to a checked one is
   * valid).
   */
  private volatile @Nullable Head lastHead;

  /** A namespace and its {@link #tagHead}. */
  private record Head(String namespace, String value) {}

  public KeySchema(String prefix) {
    this.prefix = validPrefix(prefix);
  }

  public static KeySchema defaults() {
    return new KeySchema(DEFAULT_PREFIX);
  }

  public String prefix() {
    return prefix;
  }

  /** Checks a key prefix: 1-64 characters, no braces, no control characters. */
  public static String validPrefix(String prefix) {
    Args.notNull("keyPrefix", prefix);
    if (prefix.isEmpty() || prefix.length() > 64) {
      throw new IllegalArgumentException("keyPrefix must be 1 to 64 characters: '" + prefix + "'");
    }
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (c == '{' || c == '}' || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "keyPrefix must not contain braces or control characters: '" + prefix + "'");
      }
    }
    return prefix;
  }

  public String link(String ns, String uid, String service) {
    return tagHead(ns) + escape(Args.uid(uid)) + linkTail(service);
  }

  /**
   * The link keys of many uids for one service, in order: {@link #link} of each, with the parts the
   * uids share escaped and joined once (batch reads).
   */
  public String[] links(String ns, String[] uids, String service) {
    String head = tagHead(ns);
    String tail = linkTail(service);
    String[] out = new String[uids.length];
    for (int i = 0; i < uids.length; i++) {
      out[i] = head + escape(Args.uid(uids[i])) + tail;
    }
    return out;
  }

  /**
   * The keys of a uid's link to {@code service}, in the order the link scripts take them: {@link
   * #link}, {@link #linkIndex}, {@link #linkRemoval}, {@link #linkPin}; each argument checked and
   * escaped once, in the order namespace, uid, service.
   */
  public String[] linkKeys(String ns, String uid, String service) {
    String tag = tagHead(ns) + escape(Args.uid(uid)) + "}";
    String svc = escape(Args.service(service));
    return new String[] {
      tag + ":lk:" + svc, tag + INDEX_TAIL, tag + ":lr:" + svc, tag + ":pn:" + svc
    };
  }

  /** What precedes the second part of a hash tag: the prefix, the tag's opening, ns and ':'. */
  private String tagHead(String ns) {
    Head last = lastHead;
    if (last != null && last.namespace().equals(ns)) {
      return last.value();
    }
    String head = prefix + ":{" + escape(Args.namespace(ns)) + ":";
    lastHead = new Head(ns, head);
    return head;
  }

  /** What follows the uid in a link key: the tag's closing, ':lk:' and the service. */
  private static String linkTail(String service) {
    return "}:lk:" + escape(Args.service(service));
  }

  /** The marker of a delayed removal of {@link #link}: same slot, expires with the link. */
  public String linkRemoval(String ns, String uid, String service) {
    return tagHead(ns) + escape(Args.uid(uid)) + "}:lr:" + escape(Args.service(service));
  }

  /**
   * The operator pin marker of {@link #link}: same slot; holds the pinned pod. A pin is in force
   * while the link is persistent and points at that pod (a stale marker is ignored).
   */
  public String linkPin(String ns, String uid, String service) {
    return tagHead(ns) + escape(Args.uid(uid)) + "}:pn:" + escape(Args.service(service));
  }

  public String linkIndex(String ns, String uid) {
    return uidTag(ns, uid) + INDEX_TAIL;
  }

  /**
   * A glob for {@code SCAN ... MATCH} that matches the link index of every uid of {@code ns}:
   * {@code prefix:{ns:*}:lk}. The prefix and the (escaped) namespace are glob-escaped ({@code *},
   * {@code ?}, {@code [}, {@code ]}, {@code \} get a backslash), so a namespace such as {@code a*}
   * or {@code [ab]} matches itself only. A matching key is still read with {@link #uidOfLinkIndex},
   * which also refuses a key of another shape that the glob lets through.
   */
  public String linkIndexPattern(String ns) {
    return glob(prefix) + ":{" + glob(escape(Args.namespace(ns))) + ":*}" + INDEX_TAIL;
  }

  /**
   * The uid whose {@link #linkIndex} in {@code ns} is {@code key}; null when {@code key} is not
   * one: another namespace or prefix, another kind of key, or a uid part that no uid escapes to (a
   * raw separator or brace, a malformed or non-canonical escape, an invalid uid).
   */
  public @Nullable String uidOfLinkIndex(String ns, String key) {
    String head = tagHead(ns);
    if (key.length() <= head.length() + INDEX_TAIL.length() + 1
        || !key.startsWith(head)
        || !key.endsWith("}" + INDEX_TAIL)) {
      return null;
    }
    String escaped = key.substring(head.length(), key.length() - INDEX_TAIL.length() - 1);
    String uid;
    try {
      uid = unescape(escaped);
    } catch (IllegalArgumentException malformed) {
      return null;
    }
    if (!escape(uid).equals(escaped)) {
      return null; // a raw '{', '}' or ':' in it, or an escape that escape() would not write
    }
    try {
      return Args.uid(uid);
    } catch (IllegalArgumentException invalid) {
      return null;
    }
  }

  public String state(String ns, String service) {
    return serviceTag(ns, service) + ":st";
  }

  /**
   * The operator cordons of a service: a hash pod index -> server millis of the cordon, in the slot
   * of {@link #state} (same hash tag), so one script reads both atomically. The pods' own
   * publication never writes it.
   */
  public String cordons(String ns, String service) {
    return serviceTag(ns, service) + ":cd";
  }

  /** The service's rebalancer lease (a string: the owner), in the slot of {@link #state}. */
  public String rebalancer(String ns, String service) {
    return serviceTag(ns, service) + ":rb";
  }

  /** The marker that rebalancing of the service is suspended, in the slot of {@link #state}. */
  public String rebalanceSuspended(String ns, String service) {
    return serviceTag(ns, service) + ":rs";
  }

  /**
   * A pod's pending shed request (a string: the links asked for), in the slot of {@link #state}.
   */
  public String shed(String ns, String service, int pod) {
    return serviceTag(ns, service) + ":sh:" + Args.pod(pod);
  }

  public String workload(String ns, String service) {
    return serviceTag(ns, service) + ":wl";
  }

  /**
   * The pub/sub channel on which link changes of a namespace are announced: {@code prefix:lc:ns} (a
   * channel, not a key: no hash tag, any node).
   */
  public String linkChannel(String ns) {
    return prefix + ":lc:" + escape(Args.namespace(ns));
  }

  /**
   * The sharded pub/sub channel on which the link changes of a namespace in one cluster slot are
   * announced ({@code SPUBLISH}): {@code prefix:lc:ns:{slotTag}}, where {@code slotTag} is a string
   * that hashes to that slot, so a link script can publish on it (a script's shard channel must be
   * in the slot of its keys). The tag is the only brace of the channel (the prefix has none and ns
   * is escaped), which is how the scripts tell a shard channel from {@link #linkChannel}.
   *
   * @param slotTag 1-8 characters among {@code 0-9a-z}
   */
  public String linkShardChannel(String ns, String slotTag) {
    Args.notNull("slotTag", slotTag);
    if (!slotTag.matches("[0-9a-z]{1,8}")) {
      throw new IllegalArgumentException(
          "slotTag must be 1-8 characters 0-9a-z: '" + slotTag + "'");
    }
    return linkChannel(ns) + ":{" + slotTag + "}";
  }

  private String uidTag(String ns, String uid) {
    return tagHead(ns) + escape(Args.uid(uid)) + "}";
  }

  private String serviceTag(String ns, String service) {
    return tagHead(ns) + escape(Args.service(service)) + "}";
  }

  /** Percent-encodes the characters that could move a hash tag or a separator. */
  public static String escape(String component) {
    int n = component.length();
    int i = 0;
    while (i < n && !mustEscape(component.charAt(i))) {
      i++;
    }
    if (i == n) {
      return component;
    }
    StringBuilder sb = new StringBuilder(n + 16);
    sb.append(component, 0, i);
    for (; i < n; i++) {
      char c = component.charAt(i);
      if (mustEscape(c)) {
        sb.append('%').append(hex(c >> 4)).append(hex(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Reverses {@link #escape}.
   *
   * @throws IllegalArgumentException when {@code escaped} holds a malformed escape
   */
  public static String unescape(String escaped) {
    int i = escaped.indexOf('%');
    if (i < 0) {
      return escaped;
    }
    StringBuilder sb = new StringBuilder(escaped.length());
    sb.append(escaped, 0, i);
    while (i < escaped.length()) {
      char c = escaped.charAt(i);
      if (c != '%') {
        sb.append(c);
        i++;
        continue;
      }
      if (i + 3 > escaped.length()) {
        throw new IllegalArgumentException("truncated escape at " + i);
      }
      int hi = Character.digit(escaped.charAt(i + 1), 16);
      int lo = Character.digit(escaped.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("malformed escape at " + i);
      }
      sb.append((char) (hi << 4 | lo));
      i += 3;
    }
    return sb.toString();
  }

  /** Backslash-escapes the characters a Redis glob (SCAN MATCH, KEYS) treats specially. */
  static String glob(String literal) {
    StringBuilder sb = null;
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        if (sb == null) {
          sb = new StringBuilder(literal.length() + 8).append(literal, 0, i);
        }
        sb.append('\\');
      }
      if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? literal : sb.toString();
  }

  private static boolean mustEscape(char c) {
    return c == '%'
        || c == '{'
        || c == '}'
        || c == ':'
        || c < 0x20
        || c == 0x7F
        || (c >= 0x80 && c < 0xA0);
  }

  private static char hex(int v) {
    return "0123456789ABCDEF".charAt(v & 0xF);
  }
}
