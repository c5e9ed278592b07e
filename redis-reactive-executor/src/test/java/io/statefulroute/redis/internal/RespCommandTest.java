package io.statefulroute.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** RespCommand writes exactly the bytes Lettuce writes for the same command and strings. */
class RespCommandTest {
  /** ASCII, the characters keys escape, 2-, 3- and 4-byte UTF-8 (a surrogate pair). */
  private static final int[] CODE_POINTS =
      "ab:{}%|\\ \t\n\r\u0000\u007f\u0080\u0085\u07ff\u0800éü用\uffff😀🂡".codePoints().toArray();

  @Test
  void randomScriptCalls_matchLettucesEncoding() {
    Random random = new Random(20261203L);
    for (int round = 0; round < 2_000; round++) {
      String[] keys = strings(random, random.nextInt(4));
      String[] values = strings(random, random.nextInt(6));
      String sha = text(random, 40);
      assertSameAsLettuce(CommandType.EVALSHA, sha, keys, values);
    }
  }

  @Test
  void randomPlainCommands_matchLettucesEncoding() {
    Random random = new Random(7L);
    for (int round = 0; round < 2_000; round++) {
      String[] keys = strings(random, 1 + random.nextInt(120));
      assertSameAsLettuce(CommandType.MGET, null, keys, new String[0]);
      assertSameAsLettuce(CommandType.GET, null, new String[] {keys[0]}, new String[0]);
    }
  }

  @Test
  void lengthsOfEveryWidth_andEmptyStrings_matchLettucesEncoding() {
    Random random = new Random(3L);
    for (int length : new int[] {0, 1, 9, 10, 99, 100, 999, 1_000, 16_384, 100_000}) {
      String s = text(random, length);
      assertSameAsLettuce(CommandType.EVAL, s, new String[] {s}, new String[] {"", s});
    }
    String[] many = strings(random, 1_000); // an argument count of four digits
    assertSameAsLettuce(CommandType.MGET, null, many, new String[0]);
  }

  private static void assertSameAsLettuce(
      ProtocolKeyword type, @Nullable String script, String[] keys, String[] values) {
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
    if (script != null) {
      args.add(script).add(keys.length);
    }
    args.addKeys(keys).addValues(values);
    ByteBuf lettuce = Unpooled.buffer();
    new Command<>(type, new ValueOutput<>(StringCodec.UTF8), args).encode(lettuce);
    byte[] expected = new byte[lettuce.readableBytes()];
    lettuce.readBytes(expected);

    assertThat(RespCommand.encode(type, script, keys, values)).isEqualTo(expected);
  }

  private static String[] strings(Random random, int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = text(random, random.nextInt(random.nextBoolean() ? 12 : 300));
    }
    return out;
  }

  private static String text(Random random, int codePoints) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < codePoints; i++) {
      sb.appendCodePoint(
          random.nextInt(4) == 0
              ? CODE_POINTS[random.nextInt(CODE_POINTS.length)]
              : 'a' + random.nextInt(26));
    }
    return sb.toString();
  }
}
