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

  /**
   * The text of an options class: {@code Name{a=1, b=PT1S, listener=ClientListener$1}}, the fields
   * in the order they are added.
   */
  public static Fields of(String className) {
    return new Fields(className);
  }

  /** Collects {@code name=value} pairs for {@link #of}; not thread-safe. */
  public static final class Fields {
    private final StringBuilder text;
    private boolean first = true;

    private Fields(String className) {
      this.text = new StringBuilder(128).append(className).append('{');
    }

    /** An option: printed by its own {@code toString()} ({@code null} for none). */
    public Fields add(String name, @Nullable Object value) {
      return append(name, String.valueOf(value));
    }

    /** A collaborator (a listener, a supplier, a scheduler): printed by its {@link #type}. */
    public Fields type(String name, @Nullable Object collaborator) {
      return append(name, OptionsText.type(collaborator));
    }

    private Fields append(String name, String value) {
      if (!first) {
        text.append(", ");
      }
      first = false;
      text.append(name).append('=').append(value);
      return this;
    }

    @Override
    public String toString() {
      return text + "}";
    }
  }
}
