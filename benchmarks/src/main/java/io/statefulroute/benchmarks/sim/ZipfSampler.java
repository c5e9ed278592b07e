package io.statefulroute.benchmarks.sim;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Draws user indexes {@code 0..n-1} with Zipf probabilities: the user of rank {@code k} (from 1) is
 * drawn with probability proportional to {@code 1 / k^s}. User 0 is the most active. Exact (an
 * inverted cumulative table and a binary search: {@code O(n)} memory, {@code O(log n)} per draw);
 * reproducible for a seeded generator. Not thread-safe (nor is the generator).
 */
final class ZipfSampler {
  private final double[] cumulative;
  private final RandomGenerator random;

  /**
   * @param n the number of users, {@code >= 1}
   * @param exponent {@code s >= 0}; {@code 0} draws uniformly
   * @param random the source of randomness (seeded for reproducible runs)
   */
  ZipfSampler(int n, double exponent, RandomGenerator random) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1: " + n);
    }
    if (!(exponent >= 0) || Double.isInfinite(exponent)) {
      throw new IllegalArgumentException("exponent must be >= 0: " + exponent);
    }
    this.random = random;
    this.cumulative = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1.0 / Math.pow(k + 1, exponent);
      cumulative[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cumulative[k] /= sum;
    }
    cumulative[n - 1] = 1.0;
  }

  /** The number of users. */
  int size() {
    return cumulative.length;
  }

  /** The probability of drawing {@code index}. */
  double probability(int index) {
    return index == 0 ? cumulative[0] : cumulative[index] - cumulative[index - 1];
  }

  /** The next user index. */
  int next() {
    double u = random.nextDouble();
    int i = Arrays.binarySearch(cumulative, u);
    int index = i >= 0 ? i + 1 : -i - 1; // first entry > u
    return Math.min(index, cumulative.length - 1);
  }
}
