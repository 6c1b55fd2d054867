/**
 * Performance budgets in tests.
 *
 * <p><b>Where to start.</b> Two doors to the same measurement, pick by style:
 * <ul>
 *   <li>{@link io.github.perfkit.junit.PerfBudget} on a test method (with its JUnit 5 extension and a
 *       {@link io.github.perfkit.junit.PerfProbe} parameter): the budget is declared, the probe
 *       measures, a breach fails the test with an explanation;</li>
 *   <li>{@link io.github.perfkit.junit.PerfAssertions#assertThatSection}: the same budgets as AssertJ
 *       assertions, for tests that measure several sections or build budgets at run time;
 *       {@code PerfAssertions.assertThat(..)} also asserts on perf-core's recorders, comparisons and
 *       regression reports.</li>
 * </ul>
 */
package io.github.perfkit.junit;
