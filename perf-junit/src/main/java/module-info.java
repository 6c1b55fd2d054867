/** perfkit JUnit 5: performance budgets in tests. See {@link io.github.perfkit.junit}. */
module io.github.perfkit.junit {
  requires transitive io.github.perfkit.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  requires org.junit.platform.commons;
  requires org.junit.platform.launcher; // fresh JVMs for @PerfBudget
  requires java.management;
  // @SqlBudget and SqlAssert only (their signatures use SqlLog and TimedDataSource); optional:
  // an application that uses them has perf-jdbc already
  requires static transitive io.github.perfkit.jdbc;

  exports io.github.perfkit.junit;
}
