package io.statefulroute.spring.boot;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Fails fast on a library older than the oldest the starter is tested with (docs/spring-boot.md,
 * Boot's dependency versions): Spring Boot 4.0.7 manages Lettuce 6.8.2, Micrometer 1.16.6 and
 * Caffeine 3.2.4, which the examples build and test with; older ones are refused with the Maven
 * property that sets the version under Boot's dependency management. A jar without a version in its
 * manifest (repackaged) is not checked.
 */
final class DependencyVersions {
  static final String LETTUCE_MINIMUM = "6.8";
  static final String MICROMETER_MINIMUM = "1.16";
  static final String CAFFEINE_MINIMUM = "3.2";

  private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+).*");

  private DependencyVersions() {}

  static void check() {
    check("Lettuce", version(RedisClient.class), LETTUCE_MINIMUM, "lettuce.version");
    check("Micrometer", version(MeterRegistry.class), MICROMETER_MINIMUM, "micrometer.version");
    check(
        "Caffeine",
        version(com.github.benmanes.caffeine.cache.Caffeine.class),
        CAFFEINE_MINIMUM,
        "caffeine.version");
  }

  /**
   * Throws when {@code found} is older than {@code minimum} (both {@code major.minor...}).
   *
   * @param found the library's version, null when unknown (not checked)
   */
  static void check(String library, @Nullable String found, String minimum, String property) {
    if (found == null || !MAJOR_MINOR.matcher(found).matches()) {
      return;
    }
    if (compare(found, minimum) < 0) {
      throw new IllegalStateException(
          "stateful-route needs "
              + library
              + " "
              + minimum
              + " or newer, found "
              + found
              + ": under Spring Boot's dependency management set the Maven property <"
              + property
              + "> (docs/spring-boot.md)");
    }
  }

  private static int compare(String a, String b) {
    Matcher ma = MAJOR_MINOR.matcher(a);
    Matcher mb = MAJOR_MINOR.matcher(b);
    if (!ma.matches() || !mb.matches()) {
      throw new IllegalArgumentException("not a version: " + a + ", " + b);
    }
    int major = Integer.compare(Integer.parseInt(ma.group(1)), Integer.parseInt(mb.group(1)));
    return major != 0
        ? major
        : Integer.compare(Integer.parseInt(ma.group(2)), Integer.parseInt(mb.group(2)));
  }

  private static @Nullable String version(Class<?> type) {
    Package p = type.getPackage();
    return p == null ? null : p.getImplementationVersion();
  }
}
