package io.statefulroute.test.redis;

import java.lang.annotation.Annotation;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Executable;
import java.util.Arrays;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension of {@link RedisServers}: it injects the shared servers into every {@link
 * RedisTarget} parameter of a test, lifecycle method or constructor ({@link Standalone} by default,
 * {@link Cluster @Cluster} for the cluster; in a {@code @ParameterizedTest} only annotated ones,
 * the others come from its arguments), and stops them at the end of the JUnit run (an {@link
 * AutoCloseable} in the root extension store).
 *
 * <pre>{@code
 * @ExtendWith(RedisServersExtension.class)
 * class MyExecutorIT {
 *     @Test
 *     void works_onCluster(@RedisServersExtension.Cluster RedisTarget redis) { ... }
 * }
 * }</pre>
 */
public final class RedisServersExtension implements ParameterResolver, BeforeAllCallback {

  /** Marks a {@link RedisTarget} parameter that wants the shared cluster. */
  @Documented
  @Target(ElementType.PARAMETER)
  @Retention(RetentionPolicy.RUNTIME)
  public @interface Cluster {}

  /**
   * Marks a {@link RedisTarget} parameter that wants the shared standalone server (the default).
   */
  @Documented
  @Target(ElementType.PARAMETER)
  @Retention(RetentionPolicy.RUNTIME)
  public @interface Standalone {}

  private static final String PARAMETERIZED_TEST = "org.junit.jupiter.params.ParameterizedTest";
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(RedisServersExtension.class);

  /** Created by JUnit. */
  public RedisServersExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    stopAtEndOfRun(context);
  }

  /**
   * Resolves {@link RedisTarget} parameters, except unannotated ones of a
   * {@code @ParameterizedTest}: those come from its arguments source (two resolvers for one
   * parameter would fail the test).
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() != RedisTarget.class) {
      return false;
    }
    return parameter.isAnnotated(Cluster.class)
        || parameter.isAnnotated(Standalone.class)
        || !isParameterizedTest(parameter.getDeclaringExecutable());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    boolean wantsCluster = parameter.isAnnotated(Cluster.class);
    if (wantsCluster && parameter.isAnnotated(Standalone.class)) {
      throw new ParameterResolutionException(
          "A RedisTarget parameter is either @Cluster or @Standalone, not both: "
              + parameter.getParameter());
    }
    stopAtEndOfRun(context);
    return wantsCluster ? RedisServers.cluster() : RedisServers.standalone();
  }

  private static boolean isParameterizedTest(Executable executable) {
    for (Annotation annotation : executable.getAnnotations()) {
      Class<? extends Annotation> type = annotation.annotationType();
      if (type.getName().equals(PARAMETERIZED_TEST)
          || Arrays.stream(type.getAnnotations())
              .anyMatch(meta -> meta.annotationType().getName().equals(PARAMETERIZED_TEST))) {
        return true;
      }
    }
    return false;
  }

  private static void stopAtEndOfRun(ExtensionContext context) {
    context
        .getRoot()
        .getStore(STORE)
        .getOrComputeIfAbsent(
            StopAtEndOfRun.class, key -> new StopAtEndOfRun(), StopAtEndOfRun.class);
  }

  /** Closed by JUnit with the root store, after the last test of the run. */
  private static final class StopAtEndOfRun implements AutoCloseable {
    @Override
    public void close() {
      SharedServers.stopAll();
    }
  }
}
