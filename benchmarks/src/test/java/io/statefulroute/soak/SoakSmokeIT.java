package io.statefulroute.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A short soak (10 s, 2 clients, 4 pods, 2,000 uids) on a throwaway redis-server, so the soak
 * itself stays runnable; the 60 s figures are recorded in benchmarks/README.md.
 */
class SoakSmokeIT {

  @Test
  void drainChurn_noErrors_everyClientAgreesWithRedis_memoryFlat() {
    SoakReport report =
        Soak.run(
            new SoakConfig(
                Duration.ofSeconds(10),
                2,
                4,
                2_000,
                500,
                Duration.ofSeconds(2),
                false,
                Duration.ofSeconds(4)));
    System.out.println("SoakSmokeIT (drain): " + report);
    assertThat(report.calls().get("ok")).isPositive();
    assertThat(report.restarts()).isPositive();
    assertThat(report.checked()).isEqualTo(2 * 2_000);
    assertThat(report.unexpectedErrors()).as(report.calls().toString()).isZero();
    assertThat(report.divergent()).as(report.divergentExamples().toString()).isZero();
    assertThat(report.heapAfterGcMb()).isNotEmpty();
    assertThat(report.passed()).as(report.toString()).isTrue();
  }

  @Test
  void restartChurn_noErrors_everyClientAgreesWithRedis_memoryFlat() {
    SoakReport report =
        Soak.run(
            new SoakConfig(
                Duration.ofSeconds(10),
                2,
                4,
                2_000,
                500,
                Duration.ofSeconds(2),
                true,
                Duration.ofSeconds(4)));
    System.out.println("SoakSmokeIT (restart): " + report);
    assertThat(report.restarts()).isPositive();
    assertThat(report.unexpectedErrors()).as(report.calls().toString()).isZero();
    assertThat(SoakReport.growth(report.redisUsedMemoryMb(), report.samplesAfterWarmUp()))
        .isLessThanOrEqualTo(1.25);
    // a pod that left and came back while another gateway moved its uids: the link events
    // (pushed invalidation) keep every gateway's cache in line with Redis
    assertThat(report.divergent()).as(report.divergentExamples().toString()).isZero();
  }
}
