package io.github.perfkit.junit;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link PerfBudget}: resolves {@link PerfProbe} parameters and checks
 * the budgets after each test. Registered by the annotation itself; stateless (each test's probe
 * lives in its extension context store), so parallel test execution is safe.
 */
public final class PerfBudgetExtension implements ParameterResolver, AfterEachCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PerfBudgetExtension.class);

  private static final System.Logger LOG = System.getLogger(PerfBudgetExtension.class.getName());

  /** Made by JUnit. */
  public PerfBudgetExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PerfProbe.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    PerfBudget budget = budget(context);
    if (budget == null) {
      throw new ParameterResolutionException("a PerfProbe parameter needs @PerfBudget on "
          + context.getDisplayName());
    }
    if (budget.runs() < 1 || budget.warmup() < 0) {
      throw new ParameterResolutionException("@PerfBudget runs must be >= 1 and warmup >= 0 but"
          + " were " + budget.runs() + " and " + budget.warmup());
    }
    java.time.Duration limit = Budgets.parseDuration("@PerfBudget warmupLimit", budget.warmupLimit());
    PerfProbe probe = new PerfProbe(name(budget, context), budget.warmup(), limit, budget.runs());
    context.getStore(NAMESPACE).put("probe", probe);
    return probe;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    PerfBudget budget = budget(context);
    if (budget == null || context.getExecutionException().isPresent()) {
      return; // a test that already failed is not judged on its speed
    }
    PerfProbe probe = context.getStore(NAMESPACE).get("probe", PerfProbe.class);
    if (probe == null || probe.measurement().isEmpty()) {
      throw new AssertionError("@PerfBudget on " + context.getDisplayName() + " needs the test to"
          + " take a PerfProbe parameter and call probe.measure(...)");
    }
    SectionMeasurement m = probe.measurement().get();
    if (FreshJvms.isFreshJvm()) {
      // started by another JVM to measure this test again: measure, check nothing
      if (budget.maxSlowdown() >= 0) {
        Budgets.measureForAnotherJvm(m, probe.section());
      }
      return;
    }
    List<String> problems = new ArrayList<>();
    check(problems, m, "p50", budget.p50(), m.p50());
    check(problems, m, "p95", budget.p95(), m.p95());
    check(problems, m, "p99", budget.p99(), m.p99());
    if (budget.allocatedBytes() >= 0) {
      Budgets.allocation(m, budget.allocatedBytes()).ifPresent(problems::add);
    }
    if (budget.maxSlowdown() >= 0) {
      if (budget.baseline().isBlank()) {
        throw new IllegalArgumentException("@PerfBudget maxSlowdown needs baseline = \"file\"");
      }
      if (budget.jvms() < 1 || budget.jvms() > 9) {
        throw new IllegalArgumentException("@PerfBudget jvms must be in [1, 9] but was "
            + budget.jvms());
      }
      Object fresh = FreshJvms.forTest(context.getRequiredTestClass(),
          context.getRequiredTestMethod());
      Budgets.Confirmation confirmation = new Budgets.Confirmation(
          fresh instanceof FreshJvms f ? f : null, fresh instanceof String why ? why : null,
          budget.jvms(), line -> {
            LOG.log(System.Logger.Level.INFO, line);
            context.publishReportEntry("perfkit", line);
          });
      Budgets.baseline(m, Path.of(budget.baseline()), budget.maxSlowdown(), probe.section(),
          confirmation).ifPresent(problems::add);
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(Budgets.failure(m.name(), problems));
    }
  }

  private static void check(List<String> problems, SectionMeasurement m, String label,
      String budget, java.time.Duration measured) {
    if (!budget.isBlank()) {
      Budgets.latency(m, label, measured, Budgets.parseDuration("@PerfBudget " + label, budget))
          .ifPresent(problems::add);
    }
  }

  private static PerfBudget budget(ExtensionContext context) {
    return context.getTestMethod()
        .flatMap(m -> AnnotationSupport.findAnnotation(m, PerfBudget.class)).orElse(null);
  }

  private static String name(PerfBudget budget, ExtensionContext context) {
    if (!budget.name().isBlank()) {
      return budget.name();
    }
    Method method = context.getRequiredTestMethod();
    return context.getRequiredTestClass().getSimpleName() + "." + method.getName();
  }
}
