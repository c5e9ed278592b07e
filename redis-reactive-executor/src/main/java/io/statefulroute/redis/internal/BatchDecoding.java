package io.statefulroute.redis.internal;

import io.lettuce.core.output.CommandOutput;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What a batch read makes of the values it reads: a result array of one position per key, and the
 * output that decodes one command's reply into it ({@link IndexedOutput}).
 *
 * <p>Internal, not API: may change.
 *
 * @param <R> the result array
 */
public interface BatchDecoding<R> {
  /** The values as strings (null: no value). */
  BatchDecoding<String[]> VALUES =
      new BatchDecoding<>() {
        @Override
        public String[] newResult(int keys) {
          return new String[keys];
        }

        @Override
        public CommandOutput<String, String, String[]> output(
            String[] result, int @Nullable [] index) {
          return new IndexedValuesOutput(result, index);
        }
      };

  /** The values as pod indexes ({@link IndexedPodsOutput}). */
  BatchDecoding<int[]> PODS =
      new BatchDecoding<>() {
        @Override
        public int[] newResult(int keys) {
          int[] pods = new int[keys];
          Arrays.fill(pods, IndexedPodsOutput.ABSENT);
          return pods;
        }

        @Override
        public CommandOutput<String, String, int[]> output(int[] result, int @Nullable [] index) {
          return new IndexedPodsOutput(result, index);
        }
      };

  /** A result of {@code keys} positions, each "no value" until a reply says otherwise. */
  R newResult(int keys);

  /** The output of one command whose values go to {@code result} at {@code index}. */
  CommandOutput<String, String, R> output(R result, int @Nullable [] index);
}
