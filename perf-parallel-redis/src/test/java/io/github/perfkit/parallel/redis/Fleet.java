package io.github.perfkit.parallel.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fleet of {@link FleetChild} JVMs sharing one limit, started with this test's class path. Each
 * child's samples are exact counters at the same instants (the common 100 ms grid from the start),
 * so rates over a window are exact permit counts divided by the window.
 */
final class Fleet implements AutoCloseable {

  /** One child's sample k: counters and mode. */
  record Sample(long granted, long rejected, long fallbacks, long errors, long roundTrips,
      String mode) {}

  final long start;
  private final List<Process> processes = new ArrayList<>();
  private final List<List<Sample>> samples = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private final List<String> built = new ArrayList<>();
  private final List<Integer> late = new ArrayList<>();

  /**
   * @param startDelayMillis from now to the common start (JVM startup must fit in it)
   */
  Fleet(int instances, String uri, String name, int permits, long periodMillis,
      long startDelayMillis, long durationMillis, int threads, int assumed) throws Exception {
    this.start = System.currentTimeMillis() + startDelayMillis;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < instances; i++) {
      Path log = Files.createTempFile("fleet-child-" + i + "-", ".log");
      logs.add(log);
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx96m", "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
          FleetChild.class.getName(), uri, name, String.valueOf(permits),
          String.valueOf(periodMillis), String.valueOf(start), String.valueOf(durationMillis),
          String.valueOf(threads), String.valueOf(assumed));
      pb.redirectError(log.toFile());
      processes.add(pb.start());
      samples.add(new ArrayList<>());
    }
  }

  /** Waits for every child to finish and reads its samples. */
  void await(long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    for (int i = 0; i < processes.size(); i++) {
      Process p = processes.get(i);
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          String[] f = line.split(" ");
          if (f[0].equals("S")) {
            samples.get(i).add(new Sample(Long.parseLong(f[2]), Long.parseLong(f[3]),
                Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), f[7]));
          } else if (f[0].equals("BUILT")) {
            built.add(f[1]);
            if (Long.parseLong(f[2]) > start) {
              late.add(i);
            }
          } else if (f[0].equals("ERROR")) {
            System.out.println("child " + i + ": " + line);
          }
        }
      }
      if (!p.waitFor(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("child " + i + " did not finish");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("child " + i + " exited with " + p.exitValue() + ": "
            + Files.readString(logs.get(i)));
      }
    }
    if (!late.isEmpty()) {
      // its samples would not be on the common grid: the counts would be wrong, not the limit
      throw new IllegalStateException("children " + late + " were not ready at the common start"
          + " (JVM startup took longer than the start delay: the machine is overloaded)");
    }
  }

  int size() {
    return processes.size();
  }

  Sample sample(int child, int k) {
    List<Sample> s = samples.get(child);
    return s.get(Math.min(k, s.size() - 1));
  }

  /** Permits the fleet was granted between sample k0 and k1 (100 ms steps). */
  long granted(int k0, int k1) {
    long sum = 0;
    for (int i = 0; i < size(); i++) {
      sum += granted(i, k0, k1);
    }
    return sum;
  }

  long granted(int child, int k0, int k1) {
    return sample(child, k1).granted() - sample(child, k0).granted();
  }

  /** The fleet's rate between sample k0 and k1, permits per second. */
  double rate(int k0, int k1) {
    return granted(k0, k1) / ((k1 - k0) / 10.0);
  }

  /** The first sample index at or after k0 at which the child is in {@code mode}, or -1. */
  int firstIn(int child, String mode, int k0) {
    List<Sample> s = samples.get(child);
    for (int k = k0; k < s.size(); k++) {
      if (s.get(k).mode().equals(mode)) {
        return k;
      }
    }
    return -1;
  }

  List<String> builtModes() {
    return built;
  }

  /** Everything the children wrote to stderr (their log lines). */
  String logs() throws Exception {
    StringBuilder all = new StringBuilder();
    for (Path p : logs) {
      all.append(Files.readString(p)).append(File.separator.equals("/") ? "\n" : "\r\n");
    }
    return all.toString();
  }

  @Override
  public void close() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    }
    for (Path p : logs) {
      Files.deleteIfExists(p);
    }
  }
}
