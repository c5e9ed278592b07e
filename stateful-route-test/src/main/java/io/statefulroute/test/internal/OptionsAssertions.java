package io.statefulroute.test.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Internal, not API: may change. The project's own options tests use it.
 *
 * <p>Reflective checks of an immutable options class, so that an option added later cannot be
 * forgotten by {@code toBuilder()} nor by the test that sets every option: the values compared are
 * found by reflection, not listed by the test. They are read twice, through every public no-arg
 * accessor the class declares and from every instance field it declares (an internal field with no
 * accessor is covered too).
 */
public final class OptionsAssertions {
  /** Declared public no-arg methods that are not options. */
  private static final Set<String> NOT_ACCESSORS = Set.of("toBuilder", "toString", "hashCode");

  private OptionsAssertions() {}

  /**
   * Asserts that every option of {@code set} differs from the same option of {@code defaults} (the
   * test gave each one a non-default value), then that {@code copy.apply(set)} (typically {@code o
   * -> o.toBuilder().build()}) has every option equal to {@code set}'s. Each failure names the
   * accessor or field.
   */
  public static <T> void assertCopyKeepsEveryOption(
      Class<T> type, T defaults, T set, UnaryOperator<T> copy) {
    assertEveryOptionDiffers(type, defaults, set);
    assertEveryOptionEqual(type, set, copy.apply(set));
  }

  /**
   * Asserts that every accessor and every instance field of {@code set} differs from those of
   * {@code defaults}: an option the test did not set, or a setter that does not reach its option,
   * fails naming the option.
   */
  public static <T> void assertEveryOptionDiffers(Class<T> type, T defaults, T set) {
    List<String> same = new ArrayList<>();
    for (AccessibleObject option : options(type)) {
      Object d = read(option, defaults);
      Object s = read(option, set);
      if (Objects.deepEquals(d, s)) {
        same.add(name(option) + " = " + s);
      }
    }
    assertThat(same)
        .as(
            "options of %s still at their default (give each a non-default value)",
            type.getSimpleName())
        .isEmpty();
  }

  /**
   * Asserts that every accessor and every instance field of {@code actual} equals {@code
   * expected}'s.
   */
  public static <T> void assertEveryOptionEqual(Class<T> type, T expected, T actual) {
    List<String> differ = new ArrayList<>();
    for (AccessibleObject option : options(type)) {
      Object e = read(option, expected);
      Object a = read(option, actual);
      if (!Objects.deepEquals(e, a)) {
        differ.add(name(option) + ": expected " + e + " but was " + a);
      }
    }
    assertThat(differ).as("options of %s not kept", type.getSimpleName()).isEmpty();
  }

  /**
   * Asserts that {@code options.toString()} is {@code SimpleName{a=..., b=...}} naming every
   * instance field {@code type} declares, in declaration order (the order reflection returns them
   * in), so that a field added later cannot be left out of {@code toString()}.
   */
  public static <T> void assertToStringNamesEveryField(Class<T> type, T options) {
    String text = options.toString();
    assertThat(text)
        .as("toString of %s", type.getSimpleName())
        .startsWith(type.getSimpleName() + "{")
        .endsWith("}");
    List<String> missing = new ArrayList<>();
    int from = 0;
    String separator = "{";
    for (Field f : type.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
        continue;
      }
      String token = separator + f.getName() + "=";
      int at = text.indexOf(token, from);
      if (at < 0) {
        missing.add(f.getName());
      } else {
        from = at + token.length();
      }
      separator = ", ";
    }
    assertThat(missing)
        .as(
            "fields of %s not named (in declaration order) by its toString: %s",
            type.getSimpleName(), text)
        .isEmpty();
  }

  /** The accessors (sorted by name) then the instance fields (sorted by name) of {@code type}. */
  static List<AccessibleObject> options(Class<?> type) {
    List<AccessibleObject> options = new ArrayList<>();
    Arrays.stream(type.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getParameterCount() == 0 && m.getReturnType() != void.class)
        .filter(m -> !m.isSynthetic() && !m.isBridge() && !NOT_ACCESSORS.contains(m.getName()))
        .sorted(Comparator.comparing(Method::getName))
        .forEach(options::add);
    Arrays.stream(type.getDeclaredFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.isSynthetic())
        .sorted(Comparator.comparing(Field::getName))
        .forEach(options::add);
    assertThat(options).as("options of %s found by reflection", type.getSimpleName()).isNotEmpty();
    return options;
  }

  private static String name(AccessibleObject option) {
    return (option instanceof Method
        ? "accessor " + ((Member) option).getName() + "()"
        : "field " + ((Member) option).getName());
  }

  private static Object read(AccessibleObject option, Object target) {
    try {
      option.setAccessible(true);
      return option instanceof Method m ? m.invoke(target) : ((Field) option).get(target);
    } catch (IllegalAccessException e) {
      throw new AssertionError("cannot read " + name(option), e);
    } catch (InvocationTargetException e) {
      throw new AssertionError(name(option) + " threw", e.getCause());
    }
  }
}
