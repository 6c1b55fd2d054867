package io.github.perfkit.junit.internal;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The main class of a fresh JVM that perf-junit starts to measure a {@code @PerfBudget} test again
 * (see {@code PerfBudget#jvms}): runs one test method through the JUnit Platform with
 * {@code -Dperfkit.freshJvm.out=<file>} set, under which the extension writes its measurement to the
 * file instead of checking budgets. Arguments: the class name, the method name, its parameter type
 * names joined by commas (may be empty). Exit status 0 when the test ran and succeeded, 1 when it
 * failed or was aborted, 2 when no test ran. Not an API: started by perf-junit only.
 */
public final class FreshJvmMain {

  /** The system property naming the file a fresh JVM writes its measurement to. */
  public static final String OUT_PROPERTY = "perfkit.freshJvm.out";

  private FreshJvmMain() {}

  /**
   * Runs the test.
   *
   * @param args class name, method name, parameter type names (comma-separated)
   */
  public static void main(String[] args) {
    if (args.length != 3 || System.getProperty(OUT_PROPERTY) == null) {
      System.err.println("usage: -D" + OUT_PROPERTY + "=file FreshJvmMain class method paramTypes");
      System.exit(2);
    }
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectMethod(args[0], args[1], args[2])).build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    launcher.execute(request, summary);
    TestExecutionSummary s = summary.getSummary();
    if (s.getTestsStartedCount() == 0) {
      System.err.println("no test ran");
      System.exit(2);
    }
    if (s.getTestsSucceededCount() != s.getTestsStartedCount()) {
      s.getFailures().forEach(f -> f.getException().printStackTrace());
      System.exit(1);
    }
    System.exit(0);
  }
}
