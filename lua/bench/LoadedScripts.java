import io.statefulroute.redis.internal.LuaScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes each script named on the command line as the executor loads it ({@link LuaScript#load})
 * into the output directory, so that bench.sh measures exactly what the executor sends. Run with
 * the executor's classes: {@code java -cp redis-reactive-executor/target/classes
 * lua/bench/LoadedScripts.java <out dir> <file.lua>...}.
 */
public final class LoadedScripts {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    for (int i = 1; i < args.length; i++) {
      LuaScript script = LuaScript.load(args[i]);
      Files.writeString(out.resolve(args[i]), script.body(), StandardCharsets.UTF_8);
    }
  }
}
