package io.statefulroute.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class PodMonosTest {
  @Test
  void of_aPodBelowTheShared_isOneMonoPerPod_thatEveryHitSubscribesAnew() {
    assertThat(PodMonos.of(7)).isSameAs(PodMonos.of(7));
    assertThat(PodMonos.of(0)).isNotSameAs(PodMonos.of(1));
    StepVerifier.create(PodMonos.of(7)).expectNext(7).verifyComplete();
    StepVerifier.create(PodMonos.of(7)).expectNext(7).verifyComplete(); // shared, not consumed
    StepVerifier.create(PodMonos.of(PodMonos.SHARED - 1))
        .expectNext(PodMonos.SHARED - 1)
        .verifyComplete();
  }

  @Test
  void of_aPodAtOrAboveTheShared_isANewMono() {
    int pod = PodMonos.SHARED;
    assertThat(PodMonos.of(pod)).isNotSameAs(PodMonos.of(pod));
    StepVerifier.create(PodMonos.of(pod)).expectNext(pod).verifyComplete();
  }
}
