package io.github.perfkit.junit;

import io.github.perfkit.jdbc.SqlLog;
import io.github.perfkit.jdbc.TimedDataSource;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link SqlBudget}: it records the test method's statements with
 * {@code TimedDataSource.recordAll} and checks them after the method returned. Registered by the
 * annotation; stateless and thread-safe.
 */
public final class SqlBudgetExtension implements InvocationInterceptor {

  /** Made by JUnit. */
  public SqlBudgetExtension() {}

  @Override
  public void interceptTestMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext)
      throws Throwable {
    SqlBudget budget = AnnotationSupport.findAnnotation(extensionContext.getRequiredTestMethod(),
        SqlBudget.class).orElse(null);
    if (budget == null) {
      invocation.proceed();
      return;
    }
    Throwable[] thrown = new Throwable[1];
    SqlLog log = TimedDataSource.recordAll(() -> {
      try {
        invocation.proceed();
      } catch (Throwable t) {
        thrown[0] = t;
      }
    });
    if (thrown[0] != null) {
      throw thrown[0]; // the test's own failure comes first
    }
    SqlAssert check = SqlAssert.assertThatSql(log);
    if (budget.total() >= 0) {
      check.hasStatements(budget.total());
    }
    if (budget.select() >= 0) {
      check.hasSelects(budget.select());
    }
    if (budget.insert() >= 0) {
      check.hasInserts(budget.insert());
    }
    if (budget.update() >= 0) {
      check.hasUpdates(budget.update());
    }
    if (budget.delete() >= 0) {
      check.hasDeletes(budget.delete());
    }
    if (budget.noDuplicateSelects()) {
      check.hasNoDuplicateSelects();
    }
    if (budget.batching()) {
      check.usesBatching();
    }
  }
}
