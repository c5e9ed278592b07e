package io.statefulroute.core.spi;

import org.jspecify.annotations.Nullable;

/**
 * How the options classes' {@code toString()} print a value that is not an option but a
 * collaborator (a listener, a supplier, a scheduler, an executor, a registry): by its class only,
 * never through its own {@code toString()}, which may reveal anything (a connection with its
 * password, the state it holds). {@code none} when it is not set.
 */
public final class OptionsText {
  private OptionsText() {}

  /**
   * The class of {@code value} without its package ({@code ClientListener$1}, {@code
   * SingleScheduler}), or {@code none} for {@code null}. A lambda's class loses the address that
   * names it in this JVM ({@code ClientOptions$Builder$$Lambda$14}).
   */
  public static String type(@Nullable Object value) {
    if (value == null) {
      return "none";
    }
    String name = value.getClass().getName();
    int slash = name.indexOf('/');
    if (slash >= 0) {
      name = name.substring(0, slash);
    }
    return name.substring(name.lastIndexOf('.') + 1);
  }
}
