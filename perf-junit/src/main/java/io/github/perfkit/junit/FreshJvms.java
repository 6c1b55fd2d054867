package io.github.perfkit.junit;

import io.github.perfkit.junit.internal.FreshJvmMain;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.TestTemplate;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs a {@code @PerfBudget} test method again in fresh JVMs, each writing its measurement (the
 * median run time and the calibrated ratios of {@link Budgets}) to a file: the JIT compiles the
 * same code into faster or slower machine code from one JVM to the next, which nothing measured
 * inside one JVM can see. The JVMs run one after another, with this JVM's java command, class path
 * and JVM options (less debugger agents). Immutable; {@link #measure} blocks for the JVMs' run
 * (seconds each) and is safe to call from several threads.
 */
final class FreshJvms {

  /** What one fresh JVM measured. */
  record Run(double p50Nanos, double[] ratios) {}

  /** The runs, or why there are none (or fewer than asked for). */
  record Result(List<Run> runs, String problem) {}

  /** The longest one fresh JVM may take. */
  static final long TIMEOUT_SECONDS = 300;

  private final Class<?> testClass;
  private final Method method;

  private FreshJvms(Class<?> testClass, Method method) {
    this.testClass = testClass;
    this.method = method;
  }

  /** @return whether this JVM is itself a fresh JVM measuring for another */
  static boolean isFreshJvm() {
    return System.getProperty(FreshJvmMain.OUT_PROPERTY) != null;
  }

  /**
   * @param testClass the test class
   * @param method the test method
   * @return a way to re-run it, or why it cannot be re-run in a fresh JVM
   */
  static Object forTest(Class<?> testClass, Method method) {
    if (isFreshJvm()) {
      return "this is a fresh JVM already";
    }
    if (AnnotationSupport.isAnnotated(method, TestTemplate.class)) {
      return "a parameterized or repeated test cannot be re-run as one invocation";
    }
    String modulePath = System.getProperty("jdk.module.path");
    if (modulePath != null && !modulePath.isBlank()) {
      return "the tests run on the module path (use the class path, e.g. Surefire's"
          + " useModulePath=false)";
    }
    String classPath = System.getProperty("java.class.path");
    if (classPath == null || classPath.isBlank()) {
      return "java.class.path is empty";
    }
    return new FreshJvms(testClass, method);
  }

  /**
   * Starts {@code jvms} fresh JVMs one after another.
   *
   * @param jvms how many, {@code >= 1}
   * @return their measurements; a JVM that failed ends the series, and the result says why
   */
  Result measure(int jvms) {
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < jvms; i++) {
      Object run = runOne();
      if (run instanceof String problem) {
        return new Result(runs, problem);
      }
      runs.add((Run) run);
    }
    return new Result(runs, null);
  }

  private Object runOne() {
    Path out = null;
    Path log = null;
    try {
      out = Files.createTempFile("perfkit-fresh-jvm", ".txt");
      log = Files.createTempFile("perfkit-fresh-jvm", ".log");
      List<String> command = new ArrayList<>();
      command.add(javaCommand());
      for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (!arg.startsWith("-agentlib:jdwp") && !arg.startsWith("-Xrunjdwp")
            && !arg.equals("-Xdebug") && !arg.startsWith("-D" + FreshJvmMain.OUT_PROPERTY)) {
          command.add(arg);
        }
      }
      command.add("-D" + FreshJvmMain.OUT_PROPERTY + "=" + out);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(FreshJvmMain.class.getName());
      command.add(testClass.getName());
      command.add(method.getName());
      command.add(Arrays.stream(method.getParameterTypes()).map(Class::getName)
          .collect(Collectors.joining(",")));
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "a fresh JVM took longer than " + TIMEOUT_SECONDS + " s and was stopped (its"
            + " output: " + log + ")";
      }
      if (p.exitValue() != 0) {
        return String.format(Locale.ROOT, "a fresh JVM running %s.%s exited with %d (its output:"
            + " %s)", testClass.getSimpleName(), method.getName(), p.exitValue(), log);
      }
      List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
      if (lines.size() != 2) {
        return "a fresh JVM wrote no measurement (did the test call probe.measure?)";
      }
      double p50 = Double.parseDouble(lines.get(0).strip());
      double[] ratios = Arrays.stream(lines.get(1).strip().split(" "))
          .mapToDouble(Double::parseDouble).toArray();
      Files.deleteIfExists(log);
      return new Run(p50, ratios);
    } catch (IOException | RuntimeException e) {
      return "a fresh JVM could not be run: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while waiting for a fresh JVM";
    } finally {
      try {
        if (out != null) {
          Files.deleteIfExists(out);
        }
      } catch (IOException ignored) {
        // a temporary file
      }
    }
  }

  private static String javaCommand() {
    Optional<String> self = ProcessHandle.current().info().command();
    return self.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * In a fresh JVM: writes the measurement for the JVM that started it.
   *
   * @param p50Nanos the median run time
   * @param ratios the calibrated ratios
   * @throws IOException when the file cannot be written
   */
  static void write(double p50Nanos, double[] ratios) throws IOException {
    String line = Arrays.stream(ratios).mapToObj(Double::toString)
        .collect(Collectors.joining(" "));
    Files.writeString(Path.of(System.getProperty(FreshJvmMain.OUT_PROPERTY)),
        p50Nanos + "\n" + line + "\n", StandardCharsets.UTF_8);
  }
}
