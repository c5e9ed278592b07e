package io.statefulroute.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one iteration cost, printed after it: operations completed, the Redis servers' read and
 * write events ({@code INFO stats}: one read event takes in whatever the socket holds, so
 * operations per read shows how many commands travelled together), and the CPU used by this JVM, by
 * the servers and (on Linux, from {@code /proc/stat}) by everything else on the machine, in cores,
 * with the time the hypervisor gave the machine's CPUs to other guests ({@code steal}) apart (an
 * iteration with steal above a few hundredths of a core ran on a disturbed machine), plus JVM and
 * Redis CPU microseconds per operation; and how the JVM's CPU splits over its threads (by name,
 * digits dropped: the benchmark thread, Lettuce's event loop, its event executors, Reactor's timer
 * threads; "jvm" is the rest: JIT compilers, GC). Read from admin connections of their own, outside
 * the measured connection.
 */
final class ServerStats implements AutoCloseable {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static final Path PROC_STAT = Path.of("/proc/stat");

  /** USER_HZ, the unit of /proc/stat: 100 on every Linux architecture Java runs on. */
  private static final int CLOCK_TICKS = 100;

  private final RedisClient admin;
  private final List<StatefulRedisConnection<String, String>> nodes = new ArrayList<>();
  private Snapshot start;

  /** Connects to each node of {@code uris}. */
  ServerStats(List<String> uris) {
    this.admin = RedisClient.create();
    for (String uri : uris) {
      nodes.add(admin.connect(RedisURI.create(uri)));
    }
  }

  void start(long completed) {
    start = snapshot(completed);
  }

  /** One line on the iteration since {@link #start}. */
  String end(long completed) {
    Snapshot end = snapshot(completed);
    double seconds = (end.nanos - start.nanos) / 1e9;
    long ops = end.ops - start.ops;
    long reads = end.reads - start.reads;
    long writes = end.writes - start.writes;
    double serverCpu = end.serverCpu - start.serverCpu;
    double jvmCpu = (end.jvmCpuNanos - start.jvmCpuNanos) / 1e9;
    double machineCpu = end.machineCpu - start.machineCpu;
    String others =
        end.machineCpu < 0
            ? "n/a"
            : String.format(
                Locale.ROOT,
                "%.2f cores, stolen by the host: %.2f",
                Math.max(0, machineCpu - serverCpu - jvmCpu) / seconds,
                (end.stealCpu - start.stealCpu) / seconds);
    return String.format(
        Locale.ROOT,
        "[stats] %,d ops in %.1f s; redis: %.1f ops/read event, %.1f ops/write event, "
            + "%.2f cores, %.1f us/op; JVM: %.2f cores, %.1f us/op; other processes: %s cores "
            + "(of %d)%n[threads] %s",
        ops,
        seconds,
        ops / (double) Math.max(1, reads),
        ops / (double) Math.max(1, writes),
        serverCpu / seconds,
        serverCpu * 1e6 / Math.max(1, ops),
        jvmCpu / seconds,
        jvmCpu * 1e6 / Math.max(1, ops),
        others,
        Runtime.getRuntime().availableProcessors(),
        threadSplit(
            start.threadCpuNanos,
            end.threadCpuNanos,
            end.jvmCpuNanos - start.jvmCpuNanos,
            seconds));
  }

  /** CPU cores per thread group over the iteration, busiest first. */
  private static String threadSplit(
      Map<String, Long> before, Map<String, Long> after, long jvmNanos, double seconds) {
    Map<String, Long> delta = new HashMap<>();
    long javaThreads = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (d > 0) {
        delta.put(e.getKey(), d);
        javaThreads += d;
      }
    }
    delta.put("jvm", Math.max(0, jvmNanos - javaThreads));
    StringBuilder sb = new StringBuilder();
    delta.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .filter(e -> e.getValue() / 1e9 / seconds >= 0.01)
        .forEach(
            e ->
                sb.append(sb.length() == 0 ? "" : ", ")
                    .append(e.getKey())
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.2f", e.getValue() / 1e9 / seconds)));
    return sb.toString();
  }

  /** CPU time of the live Java threads, summed by name with digits dropped. */
  private static Map<String, Long> threadCpuNanos() {
    Map<String, Long> out = new HashMap<>();
    if (!THREADS.isThreadCpuTimeSupported()) {
      return out;
    }
    for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      long nanos = THREADS.getThreadCpuTime(t.getThreadId());
      if (nanos > 0) {
        String name = t.getThreadName();
        int jmh = name.indexOf("-jmh-worker");
        String group = jmh >= 0 ? "benchmark-thread" : name.replaceAll("-?[0-9]+", "");
        out.merge(group, nanos, Long::sum);
      }
    }
    return out;
  }

  private Snapshot snapshot(long completed) {
    long reads = 0;
    long writes = 0;
    double cpu = 0;
    for (StatefulRedisConnection<String, String> node : nodes) {
      String stats = node.sync().info("stats");
      String cpuInfo = node.sync().info("cpu");
      reads += (long) field(stats, "total_reads_processed");
      writes += (long) field(stats, "total_writes_processed");
      cpu += field(cpuInfo, "used_cpu_user") + field(cpuInfo, "used_cpu_sys");
    }
    return new Snapshot(
        System.nanoTime(),
        completed,
        reads,
        writes,
        cpu,
        OS.getProcessCpuTime(),
        machineCpuSeconds(false),
        machineCpuSeconds(true),
        threadCpuNanos());
  }

  /**
   * CPU seconds the whole machine has been busy, from {@code /proc/stat}, steal excluded; with
   * {@code steal}: the CPU seconds the hypervisor ran other guests instead; -1 elsewhere.
   */
  private static double machineCpuSeconds(boolean steal) {
    try {
      String cpu = Files.readAllLines(PROC_STAT).get(0);
      String[] f = cpu.trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = 0;
      if (steal) {
        return f.length > 8 ? Long.parseLong(f[8]) / (double) CLOCK_TICKS : 0;
      }
      for (int i = 1; i < f.length && i <= 7; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy / (double) CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** A numeric field of an INFO reply, 0 when absent. */
  private static double field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() {
    nodes.forEach(StatefulRedisConnection::close);
    BenchmarkRedis.shutdown(admin);
  }

  private record Snapshot(
      long nanos,
      long ops,
      long reads,
      long writes,
      double serverCpu,
      long jvmCpuNanos,
      double machineCpu,
      double stealCpu,
      Map<String, Long> threadCpuNanos) {}
}
