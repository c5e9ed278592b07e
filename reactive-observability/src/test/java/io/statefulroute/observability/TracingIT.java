package io.statefulroute.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.NoAvailablePodException;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.placement.PodSelectors;
import io.statefulroute.redis.RedisExecutorOptions;
import io.statefulroute.redis.RedisStatefulExecutor;
import io.statefulroute.test.redis.Poll;
import io.statefulroute.test.redis.RedisServers;
import io.statefulroute.test.redis.RedisServersExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

/**
 * Tracing against a real Redis: Observation API -> micrometer-tracing OTel bridge -> OTel SDK with
 * an in-memory exporter. A compute is a span whose children are its cache lookup, its state read,
 * its placement and its script calls; errors are recorded on the spans.
 */
@ExtendWith(RedisServersExtension.class)
class TracingIT {
  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
  private static final AttributeKey<String> DB_OPERATION = AttributeKey.stringKey("db.operation");
  private static final AttributeKey<String> UID = AttributeKey.stringKey("statefulroute.uid");

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private SdkTracerProvider provider;
  private RedisClient redis;
  private StatefulExecutor raw;
  private ClientDriver driver;
  private String ns;

  @BeforeEach
  void setUp() {
    provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    OtelTracer tracer =
        new OtelTracer(
            provider.get("statefulroute-test"),
            current,
            event -> {},
            new OtelBaggageManager(current, List.of(), List.of()));
    ObservationRegistry observations = ObservationRegistry.create();
    observations
        .observationConfig()
        .observationHandler(new DefaultTracingObservationHandler(tracer));

    redis = RedisClient.create(RedisServers.standalone().uri());
    raw = RedisStatefulExecutor.create(redis, RedisExecutorOptions.builder().build());
    ns = RedisServers.uniqueNamespace();
    StatefulRouteObservability obs =
        StatefulRouteObservability.builder()
            .observationRegistry(observations)
            .uidInTraces(true)
            .build();
    driver =
        obs.clientDriver(
            ClientDriver.create(
                obs.executor(raw),
                ClientOptions.builder()
                    .selector(obs.selector(PodSelectors::powerOfTwoChoices))
                    .build()));
    raw.publishState(
            ns, "game", new PodStatus(0, 1, RoutingState.READY, "inc-0"), Duration.ofMinutes(1))
        .block();
  }

  @AfterEach
  void tearDown() {
    driver.close();
    raw.close();
    redis.shutdown();
    provider.close();
  }

  private SpanData only(String name) {
    List<SpanData> found =
        spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(found).as("spans named %s in %s", name, spans.getFinishedSpanItems()).hasSize(1);
    return found.get(0);
  }

  private static void assertChildOf(SpanData child, SpanData parent) {
    assertThat(child.getTraceId()).isEqualTo(parent.getTraceId());
    assertThat(child.getParentSpanId())
        .as("parent of %s", child.getName())
        .isEqualTo(parent.getSpanId());
  }

  @Test
  void compute_isASpan_withTheScriptCallAsItsChild() {
    StepVerifier.create(driver.computeLinkedPod(ns, "alice", "game"))
        .expectNext(0)
        .verifyComplete();

    SpanData compute = only("statefulroute.compute");
    assertThat(compute.getParentSpanContext().isValid()).as("a root span").isFalse();
    assertThat(compute.getAttributes().get(AttributeKey.stringKey("statefulroute.service")))
        .isEqualTo("game");
    assertThat(compute.getAttributes().get(UID)).isEqualTo("alice");

    SpanData script = only("set_link_if_absent");
    assertChildOf(script, compute);
    assertThat(script.getAttributes().get(DB_SYSTEM)).isEqualTo("redis");
    assertThat(script.getAttributes().get(DB_OPERATION)).isEqualTo("set_link_if_absent");
    assertThat(script.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    assertThat(script.getEndEpochNanos()).isLessThanOrEqualTo(compute.getEndEpochNanos());

    assertChildOf(only("read_state"), compute); // the service's first state read
    SpanData lookup = only("statefulroute.cache.lookup");
    assertChildOf(lookup, compute);
    assertThat(lookup.getAttributes().get(AttributeKey.stringKey("statefulroute.cache.result")))
        .isEqualTo("miss");
  }

  @Test
  void compute_withKnownState_tracesThePlacement_andAHitHasNoScript() {
    driver.computeLinkedPod(ns, "warm-up", "game").block(); // the state view is now cached
    // the link-event subscription, once confirmed, re-reads earlier cache entries in the
    // background (get_link_lease spans), and a placement in flight when it is confirmed is not
    // cached (LinkChangeStamps): let both happen before tracing the placement and the hit
    Poll.until(Duration.ofSeconds(10), "a coherent link cache", () -> driver.isCacheCoherent(ns));
    spans.reset();

    StepVerifier.create(driver.computeLinkedPod(ns, "bob", "game")).expectNext(0).verifyComplete();
    SpanData compute = only("statefulroute.compute");
    SpanData placement = only("statefulroute.placement");
    assertChildOf(placement, compute);
    assertThat(placement.getAttributes().get(AttributeKey.stringKey("statefulroute.strategy")))
        .isEqualTo("power_of_two");
    assertChildOf(only("set_link_if_absent"), compute);

    spans.reset();
    driver.computeLinkedPod(ns, "bob", "game").block();
    assertThat(spans.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder("statefulroute.cache.lookup", "statefulroute.compute");
    assertThat(
            only("statefulroute.cache.lookup")
                .getAttributes()
                .get(AttributeKey.stringKey("statefulroute.cache.result")))
        .isEqualTo("hit");
  }

  @Test
  void errors_areRecordedOnTheComputeSpan() {
    StepVerifier.create(driver.computeLinkedPod(ns, "carol", "nowhere"))
        .verifyError(NoAvailablePodException.class);
    SpanData compute = only("statefulroute.compute");
    assertThat(compute.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(exceptionType(compute)).contains(NoAvailablePodException.class.getName());
  }

  @Test
  void scriptErrors_areRecordedOnTheScriptSpan_andItsCompute() {
    try (StatefulRedisConnection<String, String> c = redis.connect()) {
      c.sync().set("sr:{" + ns + ":dave}:lk:game", "not-a-pod"); // a foreign value on our key
    }
    StepVerifier.create(driver.computeLinkedPod(ns, "dave", "game"))
        .verifyError(CorruptDataException.class);
    SpanData compute = only("statefulroute.compute");
    SpanData script = only("set_link_if_absent");
    assertChildOf(script, compute);
    assertThat(script.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(exceptionType(script)).contains(CorruptDataException.class.getName());
    assertThat(compute.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  private static Optional<String> exceptionType(SpanData span) {
    return span.getEvents().stream()
        .filter(e -> e.getName().equals("exception"))
        .map(e -> e.getAttributes().get(AttributeKey.stringKey("exception.type")))
        .findFirst();
  }
}
