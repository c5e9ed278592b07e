package io.statefulroute.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfSamplerTest {

  @Test
  void probability_followsOneOverRankToTheS() {
    ZipfSampler z = new ZipfSampler(1000, 1.0, new SplittableRandom(1));
    assertThat(z.probability(0) / z.probability(1)).isCloseTo(2.0, within(1e-9));
    assertThat(z.probability(0) / z.probability(9)).isCloseTo(10.0, within(1e-9));
    double sum = 0;
    for (int i = 0; i < z.size(); i++) {
      sum += z.probability(i);
    }
    assertThat(sum).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void next_frequenciesMatchProbabilities() {
    ZipfSampler z = new ZipfSampler(100, 1.2, new SplittableRandom(7));
    int draws = 200_000;
    int[] counts = new int[100];
    for (int i = 0; i < draws; i++) {
      counts[z.next()]++;
    }
    for (int rank : new int[] {0, 1, 4, 49, 99}) {
      double expected = z.probability(rank) * draws;
      // 5 standard deviations of a binomial count
      double tolerance = 5 * Math.sqrt(expected * (1 - z.probability(rank))) + 1;
      assertThat((double) counts[rank]).as("rank %d", rank).isCloseTo(expected, within(tolerance));
    }
  }

  @Test
  void next_exponentZero_isUniform() {
    ZipfSampler z = new ZipfSampler(4, 0, new SplittableRandom(3));
    int[] counts = new int[4];
    for (int i = 0; i < 40_000; i++) {
      counts[z.next()]++;
    }
    for (int c : counts) {
      assertThat(c).isBetween(9_400, 10_600);
    }
  }

  @Test
  void next_sameSeed_sameSequence() {
    ZipfSampler a = new ZipfSampler(10_000, 1.0, new SplittableRandom(42));
    ZipfSampler b = new ZipfSampler(10_000, 1.0, new SplittableRandom(42));
    for (int i = 0; i < 1000; i++) {
      assertThat(a.next()).isEqualTo(b.next());
    }
  }

  @Test
  void next_oneUser_alwaysZero() {
    ZipfSampler z = new ZipfSampler(1, 1.0, new SplittableRandom(5));
    for (int i = 0; i < 100; i++) {
      assertThat(z.next()).isZero();
    }
  }

  @Test
  void create_invalidArguments_throw() {
    assertThatThrownBy(() -> new ZipfSampler(0, 1.0, new SplittableRandom()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ZipfSampler(10, -0.5, new SplittableRandom()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ZipfSampler(10, Double.NaN, new SplittableRandom()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
