package io.statefulroute.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PodIdentityTest {
  @Test
  void resolve_configured_winsOverTheEnvironment() {
    Map<String, String> env = Map.of("POD_INDEX", "4", "POD_NAME", "game-5");
    assertThat(PodIdentity.resolve(env, 2)).isEqualTo(2);
  }

  @Test
  void resolve_configuredZero_isPodZero() {
    assertThat(PodIdentity.resolve(Map.of(), 0)).isZero();
  }

  @Test
  void resolve_configuredNegative_throwsNamingTheValue() {
    assertThatThrownBy(() -> PodIdentity.resolve(Map.of(), -1))
        .isInstanceOf(PodIdentityException.class)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("configured pod index must be a non-negative number: -1");
  }

  @Test
  void resolve_podIndexLabel_winsOverThePodName() {
    assertThat(PodIdentity.resolve(Map.of("POD_INDEX", "4", "POD_NAME", "game-5"), null))
        .isEqualTo(4);
  }

  @Test
  void resolve_podNameSuffix_isTheOrdinal() {
    assertThat(PodIdentity.resolve(Map.of("POD_NAME", "game-3"), null)).isEqualTo(3);
    assertThat(PodIdentity.resolve(Map.of("POD_NAME", "eu-game-servers-0"), null)).isZero();
  }

  @Test
  void resolve_emptyPodIndex_countsAsNotSet() {
    assertThat(PodIdentity.resolve(Map.of("POD_INDEX", " ", "POD_NAME", "game-7"), null))
        .isEqualTo(7);
  }

  @Test
  void resolve_ordinalsStart_isSubtractedFromTheLabel() {
    assertThat(PodIdentity.resolve(Map.of("POD_INDEX", "12", "POD_ORDINALS_START", "10"), null))
        .isEqualTo(2);
  }

  @Test
  void resolve_ordinalsStart_isSubtractedFromThePodName() {
    assertThat(PodIdentity.resolve(Map.of("POD_NAME", "game-10", "POD_ORDINALS_START", "10"), null))
        .isZero();
  }

  @Test
  void resolve_ordinalsStart_doesNotApplyToTheConfiguredIndex() {
    assertThat(PodIdentity.resolve(Map.of("POD_ORDINALS_START", "10"), 1)).isEqualTo(1);
  }

  @Test
  void resolve_ordinalBelowTheStart_throws() {
    assertThatThrownBy(
            () ->
                PodIdentity.resolve(Map.of("POD_NAME", "game-3", "POD_ORDINALS_START", "5"), null))
        .isInstanceOf(PodIdentityException.class)
        .hasMessageContaining("POD_NAME=game-3")
        .hasMessageContaining("below POD_ORDINALS_START=5");
  }

  @Test
  void resolve_badPodIndex_throwsNamingTheVariable() {
    for (String bad : new String[] {"-1", "+3", "three", "3.0", "99999999999"}) {
      assertThatThrownBy(() -> PodIdentity.resolve(Map.of("POD_INDEX", bad), null))
          .as(bad)
          .isInstanceOf(PodIdentityException.class)
          .hasMessageContaining("env POD_INDEX must be a non-negative number")
          .hasMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void resolve_podNameWithAnOrdinalTooBig_throwsNamingTheNumber() {
    assertThatThrownBy(() -> PodIdentity.resolve(Map.of("POD_NAME", "game-99999999999"), null))
        .isInstanceOf(PodIdentityException.class)
        .hasMessageContaining("env POD_NAME suffix must be a non-negative number")
        .hasMessageContaining("'99999999999'");
    assertThat(PodIdentity.resolve(Map.of("POD_NAME", "game-03"), null)).isEqualTo(3);
  }

  @Test
  void resolve_badOrdinalsStart_throwsNamingTheVariable() {
    assertThatThrownBy(
            () -> PodIdentity.resolve(Map.of("POD_INDEX", "1", "POD_ORDINALS_START", "x"), null))
        .isInstanceOf(PodIdentityException.class)
        .hasMessageContaining("env POD_ORDINALS_START must be a non-negative number")
        .hasMessageContaining("'x'");
  }

  @Test
  void resolve_podNameWithoutOrdinal_throwsNamingEverySourceTried() {
    assertThatThrownBy(() -> PodIdentity.resolve(Map.of("POD_NAME", "gateway-7f9c-x2b"), null))
        .isInstanceOf(PodIdentityException.class)
        .hasMessageContaining("no pod index found")
        .hasMessageContaining("the configured index (not set)")
        .hasMessageContaining("env POD_INDEX (not set")
        .hasMessageContaining("env POD_NAME=gateway-7f9c-x2b (no -<ordinal> suffix)");
  }

  @Test
  void resolve_nothingSet_throwsNamingEverySourceTried() {
    assertThatThrownBy(() -> PodIdentity.resolve(Map.of(), null))
        .isInstanceOf(PodIdentityException.class)
        .hasMessageContaining("the configured index (not set)")
        .hasMessageContaining("apps.kubernetes.io/pod-index")
        .hasMessageContaining("env POD_NAME (not set");
  }
}
