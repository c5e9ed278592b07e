package io.statefulroute.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pace of a virtual-time run on a fake wall clock. */
class PacerTest {
  private long now = 1_000_000_000L; // nanoseconds on the fake wall clock
  private final List<Long> parks = new ArrayList<>();

  private Pacer pacer(double speed) {
    return new Pacer(
        speed,
        () -> now,
        nanos -> {
          parks.add(nanos);
          now += nanos;
        });
  }

  private static long millis(long m) {
    return TimeUnit.MILLISECONDS.toNanos(m);
  }

  @Test
  void awaitTimeline_realTime_waitsUntilTheWallClockCatchesUp() {
    Pacer p = pacer(1);
    p.start();
    now += millis(200); // the first ticks took 200 ms of work
    p.awaitTimeline(1_000);
    assertThat(parks).containsExactly(millis(800));
    p.awaitTimeline(1_000); // already there
    assertThat(parks).hasSize(1);
  }

  @Test
  void awaitTimeline_speedFour_aQuarterOfTheSimulatedTime() {
    Pacer p = pacer(4);
    p.start();
    long origin = now;
    p.awaitTimeline(60_000);
    assertThat(now - origin).isEqualTo(millis(15_000));
  }

  @Test
  void awaitTimeline_slowMotion_twiceTheSimulatedTime() {
    Pacer p = pacer(0.5);
    p.start();
    long origin = now;
    p.awaitTimeline(10);
    assertThat(now - origin).isEqualTo(millis(20));
  }

  @Test
  void awaitTimeline_behindSchedule_doesNotWaitAndCatchesUp() {
    Pacer p = pacer(1);
    p.start();
    now += millis(5_000); // a pause: 5 s of wall time for the first ticks
    p.awaitTimeline(1_000);
    p.awaitTimeline(4_990);
    assertThat(parks).isEmpty();
    p.awaitTimeline(6_000);
    assertThat(parks).containsExactly(millis(1_000)); // the schedule holds from the origin
  }

  @Test
  void unpaced_infiniteSpeed_neverWaits() {
    Pacer p = pacer(Double.POSITIVE_INFINITY); // what Pacer.of(OptionalDouble.empty()) builds
    p.start();
    p.awaitTimeline(3_600_000); // an hour of simulated time
    assertThat(parks).isEmpty();
  }

  @Test
  void awaitTimeline_beforeStart_isRejected() {
    assertThatThrownBy(() -> pacer(1).awaitTimeline(10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not started");
  }

  @Test
  void speed_notPositive_isRejected() {
    assertThatThrownBy(() -> pacer(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("speed must be > 0: 0.0");
    assertThatThrownBy(() -> pacer(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }
}
