package io.statefulroute.test.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One throwaway local {@code redis-server} process on a free port of 127.0.0.1, with its own
 * temporary directory (working dir, {@code nodes.conf}, log file {@code redis.log}).
 *
 * <p>Made for fault-injection tests: {@link #stop()} it (or {@link #kill()} it) and {@link
 * #start()} it again on the same port and directory; a cluster node keeps its node id and rejoins.
 * Persistence is off ({@code --save "" --appendonly no}), so a restarted standalone server is
 * empty.
 *
 * <p>Get one from {@link RedisServers#startStandalone(String...)} or as a node of {@link
 * RedisServers#startCluster(int, int, String...)}; close it (try-with-resources) to stop it and
 * delete its directory. A JVM shutdown hook closes any left open.
 */
public final class RedisProcess implements AutoCloseable {

  static final String HOST = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);
  private static final int PORT_ATTEMPTS = 5;
  private static final int LOG_TAIL_LINES = 30;

  private final RedisInstallation installation;
  private final boolean clusterNode;
  private final List<String> extraArgs;
  private final Path dir;
  private final int port;
  private @Nullable Process process;
  private boolean closed;

  private RedisProcess(
      RedisInstallation installation,
      boolean clusterNode,
      List<String> extraArgs,
      Path dir,
      int port) {
    this.installation = installation;
    this.clusterNode = clusterNode;
    this.extraArgs = List.copyOf(extraArgs);
    this.dir = dir;
    this.port = port;
    Cleanup.register(this);
  }

  /**
   * Starts a new server on a free port and waits until it answers; retries on another port when the
   * chosen one was taken meanwhile.
   */
  static RedisProcess launch(
      RedisInstallation installation, boolean clusterNode, List<String> extraArgs) {
    ExitedException last = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      int port = clusterNode ? FreePorts.forClusterNode() : FreePorts.forStandalone();
      Path dir;
      try {
        dir = Files.createTempDirectory("stateful-route-redis-" + port + "-");
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create a temp dir for redis-server", e);
      }
      RedisProcess server = new RedisProcess(installation, clusterNode, extraArgs, dir, port);
      try {
        server.start();
        return server;
      } catch (ExitedException e) {
        server.close();
        if (!e.portTaken) {
          throw e;
        }
        last = e;
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
    }
    throw new IllegalStateException(
        "redis-server could not bind a free port in " + PORT_ATTEMPTS + " attempts", last);
  }

  /**
   * The TCP port, fixed for the life of this handle (kept across {@link #stop()}/{@link #start()}).
   */
  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:PORT}. */
  public String uri() {
    return "redis://" + HOST + ":" + port;
  }

  /** This server's own directory (its {@code --dir}); deleted by {@link #close()}. */
  public Path dir() {
    return dir;
  }

  /** The server's log ({@code redis.log} in {@link #dir()}), appended across restarts. */
  public Path logFile() {
    return dir.resolve("redis.log");
  }

  /** Whether the process is alive. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Starts the server (again) on the same port and directory and waits until it answers (10 s).
   *
   * @throws IllegalStateException when it is running already, has been closed, or does not come up
   *     (the message quotes the tail of its log)
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("redis-server on port " + port + " has been closed");
    }
    if (isRunning()) {
      throw new IllegalStateException("redis-server on port " + port + " is already running");
    }
    List<String> command = command();
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
    }
    awaitReady(process, command);
  }

  /**
   * Stops the server gracefully (SIGTERM), forcibly after 5 s; does nothing when it is not running.
   * The port and directory are kept for {@link #start()}.
   */
  public synchronized void stop() {
    Process stopping = process;
    process = null;
    if (stopping == null) {
      return;
    }
    stopping.destroy();
    if (!waitFor(stopping, STOP_TIMEOUT)) {
      stopping.destroyForcibly();
      waitFor(stopping, STOP_TIMEOUT);
    }
  }

  /** Kills the server at once (SIGKILL), as a crash would; {@link #start()} brings it back. */
  public synchronized void kill() {
    Process killed = process;
    process = null;
    if (killed != null) {
      killed.destroyForcibly();
      waitFor(killed, STOP_TIMEOUT);
    }
  }

  /**
   * Runs {@code redis-cli -h 127.0.0.1 -p PORT args...} and returns its output, trimmed. Options
   * may come first, e.g. {@code redisCli("-c", "SET", "k", "v")} for cluster redirects. Error
   * replies are returned as text ({@code ERR ...}): redis-cli exits 0 on them.
   *
   * @throws IllegalStateException when redis-cli fails (cannot connect...) or runs over 60 s
   */
  public String redisCli(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(installation.redisCli().toString(), "-h", HOST, "-p", String.valueOf(port)));
    command.addAll(List.of(args));
    return runCli(command, CLI_TIMEOUT);
  }

  /** Sends FLUSHALL to this server. */
  public void flushAll() {
    Object reply = Resp.call(HOST, port, "FLUSHALL");
    if (!"OK".equals(reply)) {
      throw new IllegalStateException("FLUSHALL on port " + port + " replied " + reply);
    }
  }

  /** Stops the server and deletes its directory; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    stop();
    closed = true;
    Cleanup.unregister(this);
    Cleanup.deleteTree(dir);
  }

  /** The last lines of the server log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public String toString() {
    return "redis-server " + uri() + (clusterNode ? " (cluster node)" : "") + " in " + dir;
  }

  /** Runs a redis-cli command line; returns its trimmed output, throws on exit code != 0. */
  static String runCli(List<String> command, Duration timeout) {
    Path output = null;
    try {
      output = Files.createTempFile("redis-cli-", ".out");
      Process cli =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!waitFor(cli, timeout)) {
        cli.destroyForcibly();
        waitFor(cli, STOP_TIMEOUT);
        throw new IllegalStateException(
            "Timed out after "
                + timeout.toSeconds()
                + " s: "
                + String.join(" ", command)
                + "\n"
                + Files.readString(output));
      }
      String text = Files.readString(output).strip();
      if (cli.exitValue() != 0) {
        throw new IllegalStateException(
            "`" + String.join(" ", command) + "` exited with " + cli.exitValue() + ":\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          output.toFile().deleteOnExit();
        }
      }
    }
  }

  private List<String> command() {
    List<String> command =
        new ArrayList<>(
            List.of(
                installation.redisServer().toString(),
                "--port",
                String.valueOf(port),
                "--bind",
                HOST,
                "--daemonize",
                "no",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                // replicas sync at once (the default waits 5 s for more replicas to share a
                // transfer)
                "--repl-diskless-sync-delay",
                "0"));
    if (clusterNode) {
      command.addAll(
          List.of(
              "--cluster-enabled",
              "yes",
              "--cluster-config-file",
              "nodes.conf",
              "--cluster-node-timeout",
              "2000"));
    }
    command.addAll(extraArgs);
    return command;
  }

  private void awaitReady(Process started, List<String> command) {
    String pid = String.valueOf(started.pid());
    try {
      Poll.until(
          READY_TIMEOUT,
          "redis-server on port " + port + " to answer",
          () -> {
            if (!started.isAlive()) {
              throw exited(started, command);
            }
            Object reply = Resp.call(HOST, port, "INFO", "server");
            if (reply instanceof String info) {
              String answering = Resp.infoField(info, "process_id");
              return pid.equals(answering)
                  ? null
                  : "port answered by pid " + answering + ", ours is " + pid;
            }
            return "INFO replied " + reply;
          });
    } catch (ExitedException e) {
      process = null;
      throw e;
    } catch (IllegalStateException e) {
      kill();
      throw new IllegalStateException(
          e.getMessage()
              + "\ncommand: "
              + String.join(" ", command)
              + "\n--- tail of "
              + logFile()
              + " ---\n"
              + logTail(),
          e);
    }
  }

  private ExitedException exited(Process started, List<String> command) {
    String tail = logTail();
    String message =
        "redis-server on port "
            + port
            + " exited with code "
            + started.exitValue()
            + " while starting\ncommand: "
            + String.join(" ", command)
            + "\n--- tail of "
            + logFile()
            + " ---\n"
            + tail;
    return new ExitedException(message, tail.contains("Address already in use"));
  }

  private static boolean waitFor(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The process ended while starting; {@code portTaken}: its port was taken meanwhile. */
  private static final class ExitedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final boolean portTaken;

    ExitedException(String message, boolean portTaken) {
      super(message);
      this.portTaken = portTaken;
    }
  }
}
