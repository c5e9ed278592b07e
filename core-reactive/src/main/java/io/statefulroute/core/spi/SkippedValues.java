package io.statefulroute.core.spi;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decodes stored pod indexes for batch reads and listings: undecodable values are skipped and
 * counted.
 */
public final class SkippedValues {
  private final LongAdder skipped = new LongAdder();

  /** Puts {@code name -> pod} when {@code raw} is a pod index; counts it otherwise. */
  public void putPod(Map<String, Integer> out, String name, String raw) {
    int pod = StateCodec.parseNonNegativeInt(raw);
    if (pod < 0) {
      skipped.increment();
    } else {
      out.put(name, pod);
    }
  }

  /** Counts one undecodable value that was skipped (e.g. a corrupt link a listing passed over). */
  public void skip() {
    skipped.increment();
  }

  public long count() {
    return skipped.sum();
  }
}
