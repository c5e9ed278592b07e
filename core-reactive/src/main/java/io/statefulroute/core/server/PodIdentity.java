package io.statefulroute.core.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The pod index of this process, from configuration or from a Kubernetes StatefulSet (see
 * docs/kubernetes.md). Sources, in order:
 *
 * <ol>
 *   <li>the configured index, when not null (taken as it is);
 *   <li>env {@value #POD_INDEX}, filled by the downward API from the pod label {@code
 *       apps.kubernetes.io/pod-index} (the pod's ordinal);
 *   <li>the ordinal suffix of env {@value #POD_NAME} ({@code game-3} gives 3).
 * </ol>
 *
 * A StatefulSet whose {@code .spec.ordinals.start} is not 0 numbers its pods from that start: env
 * {@value #POD_ORDINALS_START} (default 0) says it, and the index of an ordinal from the
 * environment is the ordinal minus the start, so the pods are always 0 to replicas - 1. An empty
 * variable counts as not set.
 */
public final class PodIdentity {
  /** The pod's ordinal, from the label {@code apps.kubernetes.io/pod-index}. */
  public static final String POD_INDEX = "POD_INDEX";

  /** The pod's name, {@code <statefulset>-<ordinal>} in a StatefulSet. */
  public static final String POD_NAME = "POD_NAME";

  /** The StatefulSet's {@code .spec.ordinals.start} (default 0). */
  public static final String POD_ORDINALS_START = "POD_ORDINALS_START";

  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,10}");
  private static final Pattern ORDINAL_SUFFIX = Pattern.compile(".*-([0-9]+)");

  private PodIdentity() {}

  /**
   * The pod index.
   *
   * @param env the environment ({@code System.getenv()})
   * @param configured the configured index, or null to read the environment
   * @return an index {@code >= 0}
   * @throws PodIdentityException naming every source tried, when none gives an index, or when a
   *     value is not a non-negative number (or is below the ordinals' start)
   */
  public static int resolve(Map<String, String> env, @Nullable Integer configured) {
    if (configured != null) {
      if (configured < 0) {
        throw new PodIdentityException(
            "the configured pod index must be a non-negative number: " + configured);
      }
      return configured;
    }
    List<String> tried = new ArrayList<>();
    tried.add("the configured index (not set)");
    String label = value(env, POD_INDEX);
    if (label != null) {
      return index(env, number(POD_INDEX, label), POD_INDEX + "=" + label);
    }
    tried.add(
        "env "
            + POD_INDEX
            + " (not set; the downward API fills it from the pod label"
            + " apps.kubernetes.io/pod-index)");
    String name = value(env, POD_NAME);
    if (name != null) {
      var m = ORDINAL_SUFFIX.matcher(name);
      if (m.matches()) {
        return index(env, number(POD_NAME + " suffix", m.group(1)), POD_NAME + "=" + name);
      }
      tried.add("env " + POD_NAME + "=" + name + " (no -<ordinal> suffix)");
    } else {
      tried.add("env " + POD_NAME + " (not set; a StatefulSet pod's name ends in -<ordinal>)");
    }
    throw new PodIdentityException("no pod index found; tried " + String.join(", ", tried));
  }

  private static int index(Map<String, String> env, int ordinal, String source) {
    String startText = value(env, POD_ORDINALS_START);
    int start = startText == null ? 0 : number(POD_ORDINALS_START, startText);
    if (ordinal < start) {
      throw new PodIdentityException(
          "the ordinal of "
              + source
              + " is below "
              + POD_ORDINALS_START
              + "="
              + start
              + " (the StatefulSet's .spec.ordinals.start): no pod index");
    }
    return ordinal - start;
  }

  private static int number(String source, String text) {
    if (NUMBER.matcher(text).matches()) {
      long n = Long.parseLong(text);
      if (n <= Integer.MAX_VALUE) {
        return (int) n;
      }
    }
    throw new PodIdentityException(
        "env "
            + source
            + " must be a non-negative number (at most "
            + Integer.MAX_VALUE
            + "): '"
            + text
            + "'");
  }

  private static @Nullable String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
