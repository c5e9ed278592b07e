package io.statefulroute.benchmarks;

import io.statefulroute.redis.ContractScripts;

/**
 * A script of the Redis contract as the executor sends it ({@link ContractScripts}: the prelude
 * helpers the script calls, then its file; see {@code lua/README.md}). The raw-Lettuce baseline
 * sends this text itself, so that it measures the very script the executor runs ({@code
 * ContractScriptTest} holds the two equal).
 */
final class ContractScript {
  private ContractScript() {}

  /** The text of {@code lua/<file>} as the executor sends it. */
  static String body(String file) {
    return ContractScripts.body(file);
  }
}
