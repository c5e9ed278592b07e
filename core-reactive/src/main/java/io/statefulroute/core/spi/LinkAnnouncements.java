package io.statefulroute.core.spi;

import io.statefulroute.core.LinkEvent;
import java.time.Duration;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The wire form of link-change announcements (published by the link scripts on {@link
 * KeySchema#linkChannel}): {@code v<version>:s:<pod>:<svc>:<uid>} (the link now points at pod) or
 * {@code v<version>:r:<delayMs>:<svc>:<uid>} (removed, now or after the delay), with service and
 * uid escaped as in keys, so the message holds exactly four {@code ':'}. The version is the
 * master's {@code TIME} in microseconds when the script ran. The scripts receive the {@link
 * #subject} and prepend version, kind and number.
 *
 * <p>The form without the {@code v<version>:} prefix (three {@code ':'}), published by earlier
 * versions of the scripts, is decoded too, as an event without a version. Decoders of those
 * versions reject the versioned form (they require the kind at index 0): see the rolling-upgrade
 * note among the known gaps of docs/guarantees.md.
 */
public final class LinkAnnouncements {
  private LinkAnnouncements() {}

  /** The announcement subject a script is given: {@code <svc>:<uid>}, escaped. */
  public static String subject(String uid, String service) {
    return KeySchema.escape(Args.service(service)) + ':' + KeySchema.escape(Args.uid(uid));
  }

  /**
   * Decodes one announcement heard on the namespace's channel.
   *
   * @return the event; {@code null} when the message is not a well-formed announcement
   */
  public static @Nullable LinkEvent decode(String namespace, String message) {
    OptionalLong version = OptionalLong.empty();
    int start = 0;
    if (message.startsWith("v")) {
      int end = message.indexOf(':');
      long v = end < 0 ? -1 : StateCodec.parseNonNegativeLong(message, 1, end);
      if (v <= 0) {
        return null;
      }
      version = OptionalLong.of(v);
      start = end + 1;
    }
    int a = message.indexOf(':', start);
    int b = a < 0 ? -1 : message.indexOf(':', a + 1);
    int c = b < 0 ? -1 : message.indexOf(':', b + 1);
    if (a != start + 1
        || c < 0
        || message.indexOf(':', c + 1) >= 0
        || c == b + 1
        || c == message.length() - 1) {
      return null;
    }
    long number = StateCodec.parseNonNegativeLong(message, a + 1, b);
    if (number < 0) {
      return null;
    }
    String service;
    String uid;
    try {
      service = KeySchema.unescape(message.substring(b + 1, c));
      uid = KeySchema.unescape(message.substring(c + 1));
    } catch (IllegalArgumentException malformed) {
      return null;
    }
    return switch (message.charAt(start)) {
      case 's' ->
          number > Integer.MAX_VALUE
              ? null
              : new LinkEvent.Linked(namespace, uid, service, (int) number, version);
      case 'r' ->
          new LinkEvent.Removed(namespace, uid, service, Duration.ofMillis(number), version);
      default -> null;
    };
  }
}
