package io.github.perfkit.junit.trials;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.github.perfkit.junit.PerfProbe;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.EventType;

/**
 * A child JVM's main: runs one {@link TrialWorkload} method (argument; default tolerance10) once;
 * exit 0 passed, 3 budget failed, 4 cannot tell
 * (the test aborted).
 */
public final class TrialChild {

  private TrialChild() {}

  public static void main(String[] args) {
    String method = args.length > 0 ? args[0] : "tolerance10";
    var results = EngineTestKit.engine("junit-jupiter")
        .selectors(selectMethod(TrialWorkload.class, method, PerfProbe.class.getName()))
        .execute().testEvents().filter(e -> e.getType() == EventType.FINISHED)
        .map(e -> e.getRequiredPayload(TestExecutionResult.class)).toList();
    if (results.size() != 1) {
      System.out.println("expected one test result but got " + results.size());
      System.exit(2);
    }
    TestExecutionResult r = results.get(0);
    if (r.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
      System.exit(0);
    }
    if (r.getStatus() == TestExecutionResult.Status.ABORTED) { // "cannot tell"
      System.out.println(r.getThrowable().map(Throwable::getMessage).orElse("?").replace('\n', ' '));
      System.exit(4);
    }
    String message = r.getThrowable().map(Throwable::getMessage).orElse("?");
    System.out.println(message.replace('\n', ' '));
    System.exit(message.contains("Performance budget") ? 3 : 2);
  }
}
