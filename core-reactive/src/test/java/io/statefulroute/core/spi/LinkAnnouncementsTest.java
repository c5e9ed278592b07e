package io.statefulroute.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.LinkEvent;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The wire form of link-change announcements, as the link scripts publish it. */
class LinkAnnouncementsTest {

  @Test
  void decode_versionedLinked_carriesPodAndVersion() {
    LinkEvent e = LinkAnnouncements.decode("ns", "v1796179200896772:s:3:game:u1");
    assertThat(e).isInstanceOf(LinkEvent.Linked.class);
    LinkEvent.Linked linked = (LinkEvent.Linked) e;
    assertThat(linked).isEqualTo(new LinkEvent.Linked("ns", "u1", "game", 3));
    assertThat(linked.version()).hasValue(1_796_179_200_896_772L);
  }

  @Test
  void decode_versionedRemoved_carriesDelayAndVersion() {
    LinkEvent e = LinkAnnouncements.decode("ns", "v42:r:30000:game:u1");
    assertThat(e).isInstanceOf(LinkEvent.Removed.class);
    LinkEvent.Removed removed = (LinkEvent.Removed) e;
    assertThat(removed.delay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(removed.version()).hasValue(42);
  }

  @Test
  void decode_formOfEarlierScripts_isAnEventWithoutVersion() {
    LinkEvent linked = LinkAnnouncements.decode("ns", "s:0:game:u1");
    assertThat(linked).isEqualTo(new LinkEvent.Linked("ns", "u1", "game", 0));
    assertThat(((LinkEvent.Linked) linked).version()).isEmpty();
    LinkEvent removed = LinkAnnouncements.decode("ns", "r:0:game:u1");
    assertThat(removed).isEqualTo(new LinkEvent.Removed("ns", "u1", "game", Duration.ZERO));
    assertThat(((LinkEvent.Removed) removed).version()).isEmpty();
  }

  @Test
  void decode_escapedSubject_roundTripsThroughSubject() {
    String uid = "a:b{c}%d\n用户😀";
    String service = "s:{0}";
    LinkEvent e =
        LinkAnnouncements.decode("ns", "v7:s:9:" + LinkAnnouncements.subject(uid, service));
    assertThat(e).isEqualTo(new LinkEvent.Linked("ns", uid, service, 9));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "v",
        "v:",
        "v:s:1:svc:u",
        "v0:s:1:svc:u",
        "vx:s:1:svc:u",
        "v-1:s:1:svc:u",
        "v1234567890123456789:s:1:svc:u", // 19 digits
        "v1",
        "v1:",
        "v1:s",
        "v1:s:",
        "v1:s:1",
        "v1:s:1:",
        "v1:s:1:svc",
        "v1:s:1:svc:",
        "v1:s:1::u",
        "v1:s::svc:u",
        "v1:x:1:svc:u",
        "v1:ss:1:svc:u",
        "v1::1:svc:u",
        "v1:s:1:svc:u:extra",
        "v1:v1:s:1:svc:u",
        "v1:s:2147483648:svc:u",
        "v1:s:-1:svc:u",
        "v1:r:abc:svc:u",
        "v1:s:1:svc:bad%zz",
        "v1:s:1:bad%2:u",
        "V1:s:1:svc:u",
        " v1:s:1:svc:u",
        "s:1:svc:u:extra",
        "s:1:svc",
        "x:1:svc:u",
        "s::svc:u",
        "s:1::u",
        "s:1:svc:"
      })
  void decode_malformedMessage_isNull(String message) {
    assertThat(LinkAnnouncements.decode("ns", message)).isNull();
  }

  @Test
  void events_versionIsNotPartOfEquality_andMustBePositive() {
    LinkEvent.Linked a = new LinkEvent.Linked("ns", "u", "svc", 1, OptionalLong.of(5));
    LinkEvent.Linked b = new LinkEvent.Linked("ns", "u", "svc", 1, OptionalLong.of(9));
    assertThat(a)
        .isEqualTo(b)
        .hasSameHashCodeAs(b)
        .isEqualTo(new LinkEvent.Linked("ns", "u", "svc", 1))
        .isNotEqualTo(new LinkEvent.Linked("ns", "u", "svc", 2, OptionalLong.of(5)));
    assertThat(a.toString()).contains("5");
    assertThatThrownBy(() -> new LinkEvent.Linked("ns", "u", "svc", 1, OptionalLong.of(0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new LinkEvent.Removed("ns", "u", "svc", Duration.ZERO, OptionalLong.of(-3)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LinkEvent.Removed("ns", "u", "svc", Duration.ZERO, null))
        .isInstanceOf(NullPointerException.class);
  }
}
