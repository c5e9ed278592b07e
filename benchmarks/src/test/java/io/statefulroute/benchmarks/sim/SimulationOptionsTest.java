package io.statefulroute.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulationOptionsTest {

  @Test
  void parse_noArguments_givesDefaults() {
    SimulationOptions o = SimulationOptions.parse();
    assertThat(o).isEqualTo(SimulationOptions.defaults());
    assertThat(o.virtualTime()).isTrue();
  }

  @Test
  void parse_everyOption_setsIt() {
    SimulationOptions o =
        SimulationOptions.parse(
            "--pods",
            "6",
            "--gateways",
            "3",
            "--users",
            "5_000",
            "--duration",
            "2m",
            "--rate",
            "250",
            "--zipf",
            "0.8",
            "--selector",
            "rendezvous",
            "--seed",
            "-7",
            "--redis",
            "redis://127.0.0.1:7000",
            "--http",
            "--html",
            "out/r.html",
            "--admin-port",
            "9464");
    assertThat(o.pods()).isEqualTo(6);
    assertThat(o.gateways()).isEqualTo(3);
    assertThat(o.users()).isEqualTo(5000);
    assertThat(o.duration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(o.rate()).isEqualTo(250);
    assertThat(o.zipf()).isEqualTo(0.8);
    assertThat(o.selector()).isEqualTo("rendezvous");
    assertThat(o.seed()).isEqualTo(-7);
    assertThat(o.redis()).contains("redis://127.0.0.1:7000");
    assertThat(o.http()).isTrue();
    assertThat(o.html()).contains(Path.of("out/r.html"));
    assertThat(o.virtualTime()).isFalse();
    assertThat(o.adminPort()).hasValue(9464);
    assertThat(o.speed()).isEmpty(); // real time: the wall clock paces the run
  }

  @Test
  void parse_adminPort_impliesRealTimePaceOnTheEmbeddedExecutor() {
    SimulationOptions o = SimulationOptions.parse("--admin-port", "0");
    assertThat(o.adminPort()).hasValue(0);
    assertThat(o.speed()).hasValue(1.0);
    assertThat(o.virtualTime()).isTrue();
  }

  @Test
  void parse_speed_overridesThePaceOfTheAdminPort() {
    assertThat(SimulationOptions.parse("--admin-port", "0", "--speed", "2.5").speed())
        .hasValue(2.5);
    assertThat(SimulationOptions.parse("--speed", "max", "--admin-port", "0").speed()).isEmpty();
    assertThat(SimulationOptions.parse("--speed", "10").speed()).hasValue(10.0);
    assertThat(SimulationOptions.parse("--speed", "10").adminPort()).isEmpty();
  }

  @Test
  void parse_badSpeed_isRejected() {
    assertThatThrownBy(() -> SimulationOptions.parse("--speed", "fast"))
        .hasMessageContaining("--speed needs a number such as 1, 0.5 or 10, or 'max': 'fast'");
    assertThatThrownBy(() -> SimulationOptions.parse("--speed", "0"))
        .hasMessageContaining("--speed must be in 0.1..1000.0: 0");
    assertThatThrownBy(() -> SimulationOptions.parse("--speed", "1001"))
        .hasMessageContaining("--speed must be in 0.1..1000.0");
    assertThatThrownBy(() -> SimulationOptions.parse("--speed"))
        .hasMessageContaining("--speed needs a value");
  }

  @Test
  void parse_speedInRealTimeMode_isRejected() {
    assertThatThrownBy(() -> SimulationOptions.parse("--http", "--speed", "2"))
        .hasMessageContaining("with --redis or --http the run follows the wall clock");
    assertThatThrownBy(() -> SimulationOptions.parse("--redis", "local", "--speed", "max"))
        .hasMessageContaining("with --redis or --http the run follows the wall clock");
  }

  @Test
  void parse_badAdminPort_isRejected() {
    assertThatThrownBy(() -> SimulationOptions.parse("--admin-port", "65536"))
        .hasMessageContaining("--admin-port must be in 0..65535: 65536");
    assertThatThrownBy(() -> SimulationOptions.parse("--admin-port", "-1"))
        .hasMessageContaining("--admin-port must be in 0..65535");
    assertThatThrownBy(() -> SimulationOptions.parse("--admin-port", "http"))
        .hasMessageContaining("--admin-port needs a whole number");
  }

  @Test
  void parse_compareWithAdminPortOrSpeed_isRejected() {
    assertThatThrownBy(() -> SimulationOptions.parse("--compare-selectors", "--admin-port", "0"))
        .hasMessageContaining("cannot be combined with --admin-port or --speed");
    assertThatThrownBy(() -> SimulationOptions.parse("--compare-selectors", "--speed", "1"))
        .hasMessageContaining("cannot be combined with --admin-port or --speed");
  }

  @Test
  void withSelector_keepsEveryOtherOption() {
    SimulationOptions o =
        SimulationOptions.parse(
            "--pods",
            "5",
            "--users",
            "300",
            "--html",
            "r.html",
            "--admin-port",
            "0",
            "--speed",
            "4",
            "--seed",
            "3",
            "--selector",
            "random");
    SimulationOptions other = o.withSelector("rendezvous");
    assertThat(other.selector()).isEqualTo("rendezvous");
    assertThat(other.withSelector("random")).isEqualTo(o);
  }

  @Test
  void parse_durationWithoutUnit_isSeconds() {
    assertThat(SimulationOptions.parse("--duration", "45").duration())
        .isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void parse_http_lowersTheDefaultRateOnly() {
    assertThat(SimulationOptions.parse("--http").rate()).isEqualTo(SimulationOptions.HTTP_RATE);
    assertThat(SimulationOptions.parse("--http", "--rate", "900").rate()).isEqualTo(900);
  }

  @Test
  void parse_redisLocal_isAccepted() {
    assertThat(SimulationOptions.parse("--redis", "local").redis()).contains("local");
  }

  @Test
  void parse_unknownOption_namesIt() {
    assertThatThrownBy(() -> SimulationOptions.parse("--podz", "3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option --podz");
    assertThatThrownBy(() -> SimulationOptions.parse("--verbose"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option");
  }

  @Test
  void parse_missingValue_saysSo() {
    assertThatThrownBy(() -> SimulationOptions.parse("--pods"))
        .hasMessageContaining("--pods needs a value");
    assertThatThrownBy(() -> SimulationOptions.parse("--users", "--http"))
        .hasMessageContaining("--users needs a value");
  }

  @Test
  void parse_argumentWithoutDashes_isRejected() {
    assertThatThrownBy(() -> SimulationOptions.parse("pods", "4"))
        .hasMessageContaining("unexpected argument 'pods'");
  }

  @Test
  void parse_notANumber_saysWhichOption() {
    assertThatThrownBy(() -> SimulationOptions.parse("--pods", "four"))
        .hasMessageContaining("--pods needs a whole number: 'four'");
    assertThatThrownBy(() -> SimulationOptions.parse("--zipf", "steep"))
        .hasMessageContaining("--zipf needs a number");
  }

  @Test
  void parse_outOfRange_givesTheRange() {
    assertThatThrownBy(() -> SimulationOptions.parse("--pods", "2"))
        .hasMessageContaining("--pods must be in 3..64: 2");
    assertThatThrownBy(() -> SimulationOptions.parse("--gateways", "0"))
        .hasMessageContaining("--gateways must be in 1..32");
    assertThatThrownBy(() -> SimulationOptions.parse("--users", "0"))
        .hasMessageContaining("--users must be in 1..1000000");
    assertThatThrownBy(() -> SimulationOptions.parse("--rate", "100001"))
        .hasMessageContaining("--rate must be in 1..100000");
    assertThatThrownBy(() -> SimulationOptions.parse("--zipf", "-1"))
        .hasMessageContaining("--zipf must be in 0.0..5.0");
  }

  @Test
  void parse_badDuration_isRejected() {
    assertThatThrownBy(() -> SimulationOptions.parse("--duration", "soon"))
        .hasMessageContaining("--duration needs a length such as 45s");
    assertThatThrownBy(() -> SimulationOptions.parse("--duration", "10s"))
        .hasMessageContaining("--duration must be between 36s and 60m");
  }

  @Test
  void parse_unknownSelector_listsTheKnownOnes() {
    assertThatThrownBy(() -> SimulationOptions.parse("--selector", "fastest"))
        .hasMessageContaining("unknown selector 'fastest'")
        .hasMessageContaining("power_of_two");
  }

  @Test
  void parse_badRedis_isRejected() {
    assertThatThrownBy(() -> SimulationOptions.parse("--redis", "localhost:6379"))
        .hasMessageContaining("--redis needs redis://host:port or 'local'");
  }

  @Test
  void parse_compareWithRealTimeMode_isRejected() {
    assertThatThrownBy(() -> SimulationOptions.parse("--compare-selectors", "--http"))
        .hasMessageContaining("cannot be combined");
    assertThatThrownBy(() -> SimulationOptions.parse("--compare-selectors", "--redis", "local"))
        .hasMessageContaining("cannot be combined");
    assertThatThrownBy(() -> SimulationOptions.parse("--compare-selectors", "--html", "a.html"))
        .hasMessageContaining("--html writes the report of one run");
  }

  @Test
  void wantsHelp_findsHelpAnywhere() {
    assertThat(SimulationOptions.wantsHelp("--pods", "4", "--help")).isTrue();
    assertThat(SimulationOptions.wantsHelp("-h")).isTrue();
    assertThat(SimulationOptions.wantsHelp("--pods", "4")).isFalse();
  }
}
