package io.statefulroute.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.RoutingState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded mode, in virtual time: determinism and the figures of a small scenario. */
class SimulationTest {
  private static SimulationResult small;

  static SimulationResult run(String... args) {
    return new Simulation(SimulationOptions.parse(args), ProgressLine.none()).run();
  }

  @BeforeAll
  static void runSmallScenario() {
    small = run("--users", "2000", "--rate", "400", "--duration", "36s", "--seed", "7");
  }

  @Test
  void run_sameSeedTwice_sameReport() {
    SimulationResult again =
        run("--users", "2000", "--rate", "400", "--duration", "36s", "--seed", "7");
    assertThat(TerminalReport.render(again, false)).isEqualTo(TerminalReport.render(small, false));
    assertThat(again.samples()).isEqualTo(small.samples());
  }

  @Test
  void run_otherSeed_otherReport() {
    SimulationResult other =
        run("--users", "2000", "--rate", "400", "--duration", "36s", "--seed", "8");
    assertThat(TerminalReport.render(other, false))
        .isNotEqualTo(TerminalReport.render(small, false));
  }

  @Test
  void run_issuesTheRateForTheDuration() {
    assertThat(small.requests()).isEqualTo(400L * 36);
    assertThat(small.phases()).extracting(PhaseResult::phase).containsExactly(Phase.values());
    assertThat(small.samples()).hasSize(36);
    assertThat(small.samples().stream().mapToLong(Sample::requests).sum())
        .isEqualTo(small.requests());
  }

  @Test
  void beforeTheCrash_noErrorNoMisrouteNoMove() {
    for (Phase p : new Phase[] {Phase.STEADY, Phase.SCALE_OUT, Phase.DRAIN}) {
      PhaseResult r = small.phase(p);
      assertThat(r.errors()).as("errors in %s", p).isZero();
      assertThat(r.misroutes()).as("misroutes in %s", p).isZero();
      assertThat(r.moved()).as("moved in %s", p).isZero();
      assertThat(r.relinks()).as("relinks in %s", p).isZero();
    }
  }

  @Test
  void scaleOut_joiningPodGetsLinks() {
    int joining = small.options().pods();
    assertThat(small.phase(Phase.STEADY).end().links()[joining]).isZero();
    assertThat(small.phase(Phase.SCALE_OUT).end().links()[joining]).isPositive();
    assertThat(small.phase(Phase.SCALE_OUT).end().states()[joining]).isEqualTo(RoutingState.READY);
  }

  @Test
  void drain_drainingPodKeepsItsUsersAndTakesNoNewOnes() {
    int pod = Phase.DRAINING_POD;
    Sample before = small.phase(Phase.SCALE_OUT).end();
    // every gateway sees the DENY_NEW_CALL within a publication and a state refresh (1 s each):
    // from then on the pod takes no new user
    long seen = small.phase(Phase.DRAIN).startMillis() + 2_000;
    Sample seenByAll =
        small.samples().stream().filter(s -> s.atMillis() >= seen).findFirst().orElseThrow();
    Sample after = small.phase(Phase.DRAIN).end();
    assertThat(after.states()[pod]).isEqualTo(RoutingState.DENY_NEW_CALL);
    assertThat(after.links()[pod]).isEqualTo(seenByAll.links()[pod]);
    assertThat(seenByAll.links()[pod]).isGreaterThanOrEqualTo(before.links()[pod]);
    assertThat(after.load()[pod]).isPositive(); // still serving its users
  }

  @Test
  void crash_requestsFailUntilAMissedHeartbeatThenUsersRelink() {
    PhaseResult crash = small.phase(Phase.CRASH);
    assertThat(crash.outcomes().get(Outcome.Kind.POD_DOWN)).isPositive();
    assertThat(crash.errors()).isEqualTo(crash.outcomes().get(Outcome.Kind.POD_DOWN));
    assertThat(crash.relinks()).isPositive();
    assertThat(crash.moved()).isEqualTo(crash.relinks());
    assertThat(crash.misroutes()).isZero();

    CrashResult c = small.crash();
    assertThat(c.pod()).isEqualTo(Phase.CRASHING_POD);
    assertThat(c.linkedUsers()).isPositive();
    assertThat(c.relinked()).isPositive().isLessThanOrEqualTo(c.linkedUsers());
    assertThat(c.podDownErrors()).isEqualTo(crash.outcomes().get(Outcome.Kind.POD_DOWN));
    // each failed request is reported (reportFailure): a gateway treats the pod as down once its
    // record also missed a heartbeat (2 publish periods of 1 s after its last publication, which
    // came up to one period before the crash; seen at a refresh), never on the failures alone,
    // and long before the 5 s state expiry
    assertThat(c.firstMillis()).isBetween(1_000L, 3_500L);
    assertThat(c.maxMillis())
        .isLessThanOrEqualTo(
            small.phase(Phase.CRASH).endMillis()
                - small.phase(Phase.CRASH).startMillis()
                + small.phase(Phase.RECOVERY).endMillis()
                - small.phase(Phase.RECOVERY).startMillis());
    assertThat(small.phase(Phase.CRASH).end().states()[Phase.CRASHING_POD]).isNull();
  }

  @Test
  void recovery_podsServeAgainWithoutErrors() {
    PhaseResult recovery = small.phase(Phase.RECOVERY);
    assertThat(recovery.errors()).isZero();
    assertThat(recovery.end().states()[Phase.CRASHING_POD]).isEqualTo(RoutingState.READY);
    assertThat(recovery.end().states()[Phase.DRAINING_POD]).isEqualTo(RoutingState.READY);
    assertThat(recovery.end().load()[Phase.CRASHING_POD]).isPositive();
  }

  @Test
  void recovery_noMisroute_theGatewaysHearOfMovedLinks() {
    // before pushed invalidation (#6), a gateway that cached a user on the crashed pod, while
    // the other gateway moved the link, sent that user to the restarted pod: misroutes in the
    // recovery phase. The gateways now drop such entries when the store announces the move.
    assertThat(small.phase(Phase.CRASH).relinks()).isPositive();
    assertThat(small.misroutes()).isZero();
  }

  @Test
  void analysis_evaluatesEveryRuleOverTheRunsMeters() {
    assertThat(small.analysis().rules())
        .hasSize(7)
        .contains(
            "low_cache_hit_ratio", "high_error_ratio", "publish_failures", "frequent_relinks");
    assertThat(small.analysis().failures()).isEmpty();
    // pod-down answers are the pod's failures, not the router's: the only failed computes are
    // the store fault's (its stall and restart)
    long storeFaultErrors = small.phase(Phase.STORE_FAULT).errors();
    assertThat(small.analysis().findings())
        .filteredOn(f -> f.rule().equals("high_error_ratio") && f.subject().startsWith("compute"))
        .allSatisfy(
            f ->
                assertThat(Math.round(f.measured() * small.requests()))
                    .isLessThanOrEqualTo(storeFaultErrors));
    assertThat(small.analysis().findings()).noneMatch(f -> f.rule().equals("stale_state"));
    String report = TerminalReport.render(small, false);
    assertThat(report).contains("performance analysis (7 rules");
    for (var f : TerminalReport.findings(small.analysis(), false)) {
      assertThat(report).contains("[" + f.severity() + "] " + f.rule() + " on " + f.subject());
    }
  }

  @Test
  void analysis_oneTimeUsers_findsALowCacheHitRatio() {
    // 50,000 users for 12,000 requests: nearly every request is a user's first, a cache miss
    SimulationResult r =
        run("--users", "50000", "--zipf", "0", "--rate", "400", "--duration", "36s", "--seed", "7");
    assertThat(r.analysis().findings())
        .anySatisfy(
            f -> {
              assertThat(f.rule()).isEqualTo("low_cache_hit_ratio");
              assertThat(f.subject()).isEqualTo("sim/" + Simulation.SERVICE);
              assertThat(f.measured()).isLessThan(0.4);
              assertThat(f.severity().name()).isEqualTo("CRITICAL");
            });
    assertThat(TerminalReport.render(r, false))
        .contains("[CRITICAL] low_cache_hit_ratio on sim/game");
  }

  @Test
  void run_paced_reportsWhatTheUnpacedRunDoes() {
    // --speed 10: the 36 s timeline takes 3.6 s of wall time; every timer is still virtual
    SimulationResult paced =
        run(
            "--users",
            "2000",
            "--rate",
            "400",
            "--duration",
            "36s",
            "--seed",
            "7",
            "--speed",
            "10");
    assertThat(paced.wallMillis()).isGreaterThanOrEqualTo(3_000);
    assertThat(TerminalReport.render(paced, false)).isEqualTo(TerminalReport.render(small, false));
    assertThat(paced.samples()).isEqualTo(small.samples());
  }

  @Test
  void cacheHits_growOnceUsersArePlaced() {
    assertThat(small.phase(Phase.DRAIN).hitRatio())
        .isGreaterThan(small.phase(Phase.STEADY).hitRatio())
        .isGreaterThan(0.5);
  }
}
