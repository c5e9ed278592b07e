package io.statefulroute.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store-fault phase on the embedded executor, in virtual time: the run completes through the
 * stall and the restart, and the report shows their figures.
 */
class StoreFaultPhaseTest {
  private static SimulationResult result;
  private static String report;

  @BeforeAll
  static void runShortScenario() {
    result =
        new Simulation(
                SimulationOptions.parse(
                    "--users", "2000", "--rate", "400", "--duration", "36s", "--seed", "7"),
                ProgressLine.none())
            .run();
    report = TerminalReport.render(result, false);
  }

  @Test
  void run_withStoreFault_completesWithTheFaultPhaseInTheReport() {
    assertThat(result.phases()).extracting(PhaseResult::phase).endsWith(Phase.STORE_FAULT);
    assertThat(result.requests()).isEqualTo(400L * 36);
    assertThat(result.storeFault().injected()).isTrue();
    assertThat(report)
        .contains(
            "store fault 30.9-36 s",
            "store fault: injected by " + "FaultInjectingExecutor",
            "  stall 30.9-33.9 s",
            "  restart at 34.9 s, empty",
            "time to recover: ",
            "bookkeeping reads failed: ");
  }

  @Test
  void stall_callsFailWithStoreTimeoutWithinTheTimeout() {
    FaultWindow stall = result.storeFault().window("stall");
    assertThat(stall.errors().get("StoreTimeoutException")).isPositive();
    assertThat(stall.maxLatencyMillis())
        .isEqualTo(FaultInjectingExecutor.COMMAND_TIMEOUT.toMillis());
    assertThat(stall.hits()).isPositive(); // the gateways route cached users without the store
    assertThat(stall.served()).isPositive(); // replies held up by less than the timeout
    assertThat(stall.recovered()).isTrue();
    assertThat(report)
        .containsPattern("errors: [\\d,]+: StoreTimeoutException [\\d,]+")
        .contains("every call ended within its timeout (2,000 ms)");
  }

  @Test
  void restart_dataLost_requestsSucceedAgainAfterARecoveryTime() {
    FaultWindow restart = result.storeFault().window("restart");
    assertThat(restart.errorCount()).isPositive();
    // the empty store has no pod records until the pods publish again (every second)
    assertThat(restart.errors()).containsKey("NoAvailablePodException");
    assertThat(restart.recovered()).isTrue();
    assertThat(restart.recoveryMillis()).isPositive().isLessThanOrEqualTo(2_000);
    assertThat(restart.served()).isPositive();
    assertThat(report).containsPattern("time to recover: [\\d.]+ s after the restart");
  }

  @Test
  void bookkeeping_readsDuringTheStall_areCountedNotThrown() {
    assertThat(result.storeFault().bookkeepingFailures())
        .containsOnlyKeys(BookkeepingReads.UNANSWERED);
    assertThat(result.storeFault().bookkeepingFailed()).isPositive();
    assertThat(report).containsPattern("bookkeeping reads failed: [1-9]\\d* \\(");
  }

  @Test
  void crash_relinksAreNotCountedAfterTheStoreFault() {
    long faultStart = result.phase(Phase.STORE_FAULT).startMillis();
    long crashStart = result.phase(Phase.CRASH).startMillis();
    assertThat(result.crash().maxMillis()).isLessThan(faultStart - crashStart);
  }
}
