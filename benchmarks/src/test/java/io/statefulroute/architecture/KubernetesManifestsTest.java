package io.statefulroute.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The example manifests of {@code examples/k8s/} keep the settings docs/kubernetes.md documents:
 *
 * <ul>
 *   <li>the game servers' StatefulSet gives each pod {@code POD_INDEX} from the downward API label
 *       {@code apps.kubernetes.io/pod-index}, {@code POD_NAME}, and a {@code POD_ORDINALS_START}
 *       equal to its {@code .spec.ordinals.start};
 *   <li>Boot's shutdown phase outlasts the server's longest stop (drain + 2 x shutdown timeout),
 *       and the grace period outlasts the preStop sleep plus that phase;
 *   <li>the probes are Boot's liveness and readiness groups;
 *   <li>the headless Service publishes not-ready addresses, so that a draining pod keeps its DNS
 *       record while its users are still relayed there;
 *   <li>the gateways run the client role only and relay to the headless Service's DNS names.
 * </ul>
 */
class KubernetesManifestsTest {
  private static final Path K8S =
      Path.of("..").toAbsolutePath().normalize().resolve("examples/k8s");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");
  private static final String POD_INDEX_LABEL = "metadata.labels['apps.kubernetes.io/pod-index']";

  private static List<Map<String, Object>> objects;

  @BeforeAll
  static void load() throws IOException {
    objects = new ArrayList<>();
    try (Stream<Path> files = Files.list(K8S)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (Reader in = Files.newBufferedReader(f)) {
          for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)) {
            if (doc != null) {
              objects.add(map(doc));
            }
          }
        }
      }
    }
  }

  @Test
  void manifests_holdTheFourParts() {
    assertThat(objects.stream().map(o -> o.get("kind") + "/" + name(o)))
        .contains(
            "StatefulSet/game",
            "Service/game",
            "Deployment/gateway",
            "Service/gateway",
            "Deployment/redis",
            "Service/redis");
  }

  @Test
  void gameServers_knowTheirPodIndex() {
    Map<String, Object> set = find("StatefulSet", "game");
    Map<String, Object> container = container(set);
    assertThat(fieldRef(container, "POD_INDEX")).isEqualTo(POD_INDEX_LABEL);
    assertThat(fieldRef(container, "POD_NAME")).isEqualTo("metadata.name");
    Object start = get(set, "spec", "ordinals", "start");
    String ordinalsStart = start == null ? "0" : String.valueOf(start);
    assertThat(env(container, "POD_ORDINALS_START"))
        .as("POD_ORDINALS_START against .spec.ordinals.start")
        .isEqualTo(ordinalsStart);
    assertThat(env(container, "STATEFULROUTE_SERVER_ENABLED")).isEqualTo("true");
    assertThat(env(container, "STATEFULROUTE_SERVER_SERVICE"))
        .isEqualTo(name(find("Service", "game")));
    assertThat(env(container, "STATEFULROUTE_NAMESPACE")).isNotBlank();
  }

  @Test
  void gameServers_gracePeriodOutlastsTheDrain() {
    Map<String, Object> set = find("StatefulSet", "game");
    Map<String, Object> container = container(set);
    Duration drain = duration(env(container, "STATEFULROUTE_SERVER_DRAIN_TIMEOUT"));
    Duration shutdown = duration(env(container, "STATEFULROUTE_SERVER_SHUTDOWN_TIMEOUT"));
    Duration phase = duration(env(container, "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"));
    Duration preStop = preStopSleep(container);
    Duration grace =
        Duration.ofSeconds(
            ((Number) get(set, "spec", "template", "spec", "terminationGracePeriodSeconds"))
                .longValue());
    Duration longestStop = drain.plus(shutdown.multipliedBy(2));

    assertThat(phase)
        .as("Boot's shutdown phase against the server's stop")
        .isGreaterThan(longestStop);
    assertThat(grace)
        .as("grace period against preStop + drain + shutdowns")
        .isGreaterThan(preStop.plus(longestStop));
    assertThat(grace)
        .as("grace period against preStop + Boot's shutdown phase")
        .isGreaterThanOrEqualTo(preStop.plus(phase));
  }

  @Test
  void probes_areBootsHealthGroups() {
    for (Map<String, Object> workload :
        List.of(find("StatefulSet", "game"), find("Deployment", "gateway"))) {
      Map<String, Object> container = container(workload);
      assertThat(get(container, "livenessProbe", "httpGet", "path"))
          .as("%s liveness", name(workload))
          .isEqualTo("/actuator/health/liveness");
      assertThat(get(container, "readinessProbe", "httpGet", "path"))
          .as("%s readiness", name(workload))
          .isEqualTo("/actuator/health/readiness");
      assertThat(env(container, "MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED")).isEqualTo("true");
    }
  }

  @Test
  void headlessService_keepsADrainingPodsDnsRecord() {
    Map<String, Object> service = find("Service", "game");
    assertThat(get(service, "spec", "clusterIP")).isEqualTo("None");
    assertThat(get(service, "spec", "publishNotReadyAddresses")).isEqualTo(true);
    assertThat(get(find("StatefulSet", "game"), "spec", "serviceName")).isEqualTo(name(service));
  }

  @Test
  void gateways_relayToTheHeadlessServicesPods() {
    Map<String, Object> container = container(find("Deployment", "gateway"));
    assertThat(env(container, "STATEFULROUTE_SERVER_ENABLED")).isEqualTo("false");
    assertThat(env(container, "GATEWAY_POD_URL")).contains("game-{pod}.game");
    assertThat(env(container, "STATEFULROUTE_NAMESPACE"))
        .isEqualTo(env(container(find("StatefulSet", "game")), "STATEFULROUTE_NAMESPACE"));
  }

  @Test
  void duration_readsSpringsSimpleFormat_andRefusesTheRest() {
    assertThat(duration("20s")).isEqualTo(Duration.ofSeconds(20));
    assertThat(duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> duration("PT20S")).isInstanceOf(IllegalArgumentException.class);
  }

  private static Duration duration(String value) {
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration like 20s, 500ms or 2m: " + value);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }

  /** The preStop sleep: the {@code sleep} action or an exec of {@code sleep N}; zero if none. */
  private static Duration preStopSleep(Map<String, Object> container) {
    Object preStop = get(container, "lifecycle", "preStop");
    if (preStop == null) {
      return Duration.ZERO;
    }
    Object seconds = get(map(preStop), "sleep", "seconds");
    if (seconds != null) {
      return Duration.ofSeconds(((Number) seconds).longValue());
    }
    List<?> command = (List<?>) Objects.requireNonNull(get(map(preStop), "exec", "command"));
    assertThat(command).as("preStop exec").hasSize(2).first().isEqualTo("sleep");
    return Duration.ofSeconds(Long.parseLong(String.valueOf(command.get(1))));
  }

  private static Map<String, Object> find(String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.get("kind")) && name.equals(name(o)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(kind + "/" + name + " not in " + K8S));
  }

  private static String name(Map<String, Object> object) {
    return String.valueOf(get(object, "metadata", "name"));
  }

  private static Map<String, Object> container(Map<String, Object> workload) {
    List<?> containers = (List<?>) get(workload, "spec", "template", "spec", "containers");
    assertThat(containers).as("%s containers", name(workload)).hasSize(1);
    return map(containers.get(0));
  }

  private static Map<String, Object> envEntry(Map<String, Object> container, String variable) {
    for (Object entry : (List<?>) Objects.requireNonNull(container.get("env"))) {
      if (variable.equals(map(entry).get("name"))) {
        return map(entry);
      }
    }
    throw new AssertionError("no env " + variable + " in container " + container.get("name"));
  }

  private static String env(Map<String, Object> container, String variable) {
    Object value = envEntry(container, variable).get("value");
    assertThat(value).as("value of %s", variable).isInstanceOf(String.class);
    return (String) value;
  }

  private static Object fieldRef(Map<String, Object> container, String variable) {
    return get(envEntry(container, variable), "valueFrom", "fieldRef", "fieldPath");
  }

  private static Object get(Map<String, Object> object, String... path) {
    Object at = object;
    for (String key : path) {
      if (!(at instanceof Map<?, ?> m)) {
        return null;
      }
      at = m.get(key);
    }
    return at;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object yaml) {
    assertThat(yaml).isInstanceOf(Map.class);
    return (Map<String, Object>) yaml;
  }
}
