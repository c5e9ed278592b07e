package io.statefulroute.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import io.statefulroute.core.internal.ArchitectureViolation;
import io.statefulroute.test.TestKitArchitectureViolation;
import io.statefulroute.test.VirtualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The layering of the project, checked on the main classes of every module (this module depends on
 * all the others, so their classes are on its test class path):
 *
 * <ul>
 *   <li>dependencies flow one way: {@code core} knows no other module, and the executor and the
 *       observability module do not know each other;
 *   <li>{@code core} depends on no Lettuce, Micrometer or Netty: it needs reactor-core and Caffeine
 *       only;
 *   <li>the test kit ({@code stateful-route-test}) depends on core only, so that the executor's and
 *       the observability module's tests can use it; no main code depends on the kit except the
 *       benchmarks;
 *   <li>a module's {@code .internal} package is used by that module only;
 *   <li>no main code outside the benchmarks and the test kit (tests block) blocks on a {@code Mono}
 *       or {@code Flux};
 *   <li>every type in an {@code .internal} package says so in its comment;
 *   <li>no main source file is over 400 lines.
 * </ul>
 *
 * <p>Each rule also runs once on a class that breaks it ({@link Violations}), so a rule that can no
 * longer fail (a renamed package, an empty import) fails this test.
 */
class ArchitectureTest {
  private static final String CORE = "io.statefulroute.core..";
  private static final String REDIS = "io.statefulroute.redis..";
  private static final String OBSERVABILITY = "io.statefulroute.observability..";
  private static final String TEST_KIT = "io.statefulroute.test..";
  private static final String BENCHMARKS = "io.statefulroute.benchmarks..";
  private static final String SOAK = "io.statefulroute.soak..";
  private static final List<String> MODULES =
      List.of(CORE, REDIS, OBSERVABILITY, TEST_KIT, BENCHMARKS, SOAK);
  private static final Set<String> BLOCKING =
      Set.of("block", "blockFirst", "blockLast", "blockOptional", "toIterable", "toStream");

  private static final int MAX_LINES = 400;
  private static final String NOT_API = "Internal, not API: may change.";

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(MainClassesOnly.INSTANCE)
            .importPackages("io.statefulroute");
  }

  @Test
  void everyModuleIsImported() {
    for (String module : MODULES) {
      String prefix = module.substring(0, module.length() - 2);
      assertThat(main.stream().filter(c -> c.getPackageName().startsWith(prefix)).count())
          .as(module)
          .isGreaterThan(0);
    }
  }

  @Test
  void coreKnowsNoOtherModule() {
    coreKnowsNoOtherModule.check(main);
  }

  @Test
  void executorAndObservabilityDoNotKnowEachOther() {
    redisKnowsNoObservability.check(main);
    observabilityKnowsNoRedis.check(main);
  }

  @Test
  void testKitDependsOnCoreOnly() {
    testKitKnowsOnlyCore.check(main);
  }

  @Test
  void nothingButTheBenchmarksDependsOnTheTestKit() {
    onlyBenchmarksUseTheTestKit.check(main);
  }

  @Test
  void coreDependsOnNoLettuceMicrometerOrNetty() {
    coreHasNoTransportOrMetrics.check(main);
  }

  @Test
  void internalPackagesAreUsedByTheirOwnModuleOnly() {
    for (ArchRule rule : internalRules()) {
      rule.check(main);
    }
  }

  @Test
  void everyTypeInAnInternalPackageSaysItIsNotApi() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<Path> internal;
    try (Stream<Path> files = Files.walk(root)) {
      internal =
          files
              .filter(f -> f.toString().contains("/src/main/java/"))
              .filter(f -> f.getParent().getFileName().toString().equals("internal"))
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> !f.getFileName().toString().equals("package-info.java"))
              .toList();
    }
    assertThat(internal).as("the internal packages' sources under %s", root).hasSizeGreaterThan(10);
    for (Path f : internal) {
      assertThat(Files.readString(f)).as("%s", root.relativize(f)).contains(NOT_API);
    }
  }

  @Test
  void noMainSourceFileIsOver400Lines() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> tooLong = new ArrayList<>();
    int files = 0;
    try (Stream<Path> all = Files.walk(root)) {
      for (Path f :
          all.filter(f -> f.toString().contains("/src/main/java/"))
              .filter(f -> f.toString().endsWith(".java"))
              .toList()) {
        files++;
        long lines = Files.readAllLines(f).size();
        if (lines > MAX_LINES) {
          tooLong.add(root.relativize(f) + " (" + lines + ")");
        }
      }
    }
    assertThat(files).as("main sources under %s", root).isGreaterThan(100);
    assertThat(tooLong).as("one concept per file: split these along their seams").isEmpty();
  }

  @Test
  void mainCodeOutsideTheBenchmarksNeverBlocks() {
    noBlocking.check(main);
  }

  @Test
  void everyRuleCanFail() {
    JavaClasses bad = new ClassFileImporter().importClasses(Violations.class);
    assertThatThrownBy(() -> noBlocking.check(bad)).isInstanceOf(AssertionError.class);
    JavaClasses core = new ClassFileImporter().importClasses(ArchitectureViolation.class);
    assertThatThrownBy(() -> coreKnowsNoOtherModule.check(core)).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> coreHasNoTransportOrMetrics.check(core))
        .isInstanceOf(AssertionError.class);
    JavaClasses outsider = new ClassFileImporter().importClasses(Violations.class);
    assertThatThrownBy(() -> internalRules().get(0).check(outsider))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> onlyBenchmarksUseTheTestKit.check(outsider))
        .isInstanceOf(AssertionError.class);
    JavaClasses kit = new ClassFileImporter().importClasses(TestKitArchitectureViolation.class);
    assertThatThrownBy(() -> testKitKnowsOnlyCore.check(kit)).isInstanceOf(AssertionError.class);
  }

  private static final ArchRule coreKnowsNoOtherModule =
      noClasses()
          .that()
          .resideInAPackage(CORE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(REDIS, OBSERVABILITY, TEST_KIT, BENCHMARKS, SOAK);

  private static final ArchRule testKitKnowsOnlyCore =
      noClasses()
          .that()
          .resideInAPackage(TEST_KIT)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(REDIS, OBSERVABILITY, BENCHMARKS, SOAK)
          .as("the test kit depends on core only (the executor's own tests use it)");

  private static final ArchRule onlyBenchmarksUseTheTestKit =
      noClasses()
          .that()
          .resideOutsideOfPackages(TEST_KIT, BENCHMARKS, SOAK)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(TEST_KIT)
          .as("no main code but the benchmarks depends on the test kit");

  private static final ArchRule redisKnowsNoObservability =
      noClasses()
          .that()
          .resideInAPackage(REDIS)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(OBSERVABILITY);

  private static final ArchRule observabilityKnowsNoRedis =
      noClasses()
          .that()
          .resideInAPackage(OBSERVABILITY)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(REDIS);

  private static final ArchRule coreHasNoTransportOrMetrics =
      noClasses()
          .that()
          .resideInAPackage(CORE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.lettuce..", "io.micrometer..", "io.netty..");

  private static List<ArchRule> internalRules() {
    return List.of(
        internalOf("io.statefulroute.core", CORE),
        internalOf("io.statefulroute.redis", REDIS),
        internalOf("io.statefulroute.observability", OBSERVABILITY),
        internalOf("io.statefulroute.test", TEST_KIT));
  }

  private static ArchRule internalOf(String module, String modulePackages) {
    return noClasses()
        .that()
        .resideOutsideOfPackage(modulePackages)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(module + ".internal..")
        .as("nothing outside " + module + " uses " + module + ".internal");
  }

  private static final ArchRule noBlocking =
      noClasses()
          .that()
          .resideOutsideOfPackages(BENCHMARKS, SOAK, TEST_KIT)
          .should()
          .callMethodWhere(
              DescribedPredicate.describe(
                  "a blocking method of Mono or Flux",
                  (JavaMethodCall call) ->
                      BLOCKING.contains(call.getName())
                          && (call.getTargetOwner().isEquivalentTo(Mono.class)
                              || call.getTargetOwner().isEquivalentTo(Flux.class))))
          .as("main code outside the benchmarks and the test kit never blocks on a Mono or Flux");

  /**
   * Main classes only: not the test classes of this module, nor a test-jar should one be on its
   * class path.
   */
  private enum MainClassesOnly implements ImportOption {
    INSTANCE;

    @Override
    public boolean includes(Location location) {
      return !location.contains("/test-classes/")
          && !location.contains("-tests.jar")
          && !location.contains("/jmh_generated/");
    }
  }

  /** Breaks the blocking rule, uses another module's internal package and the test kit. */
  static final class Violations {
    String blocks() {
      return Mono.just("x").block();
    }

    String usesCoreInternal() {
      return ArchitectureViolation.uri().getHost(); // a call: a constant would be inlined
    }

    long usesTestKit() {
      return VirtualClock.create().now(TimeUnit.MILLISECONDS);
    }
  }
}
