/**
 * Performance budgets in tests: {@link io.github.perfkit.junit.PerfBudget} with its JUnit 5
 * extension, and AssertJ assertions on measured sections, recorders, comparisons and regression
 * reports ({@link io.github.perfkit.junit.PerfAssertions}).
 */
package io.github.perfkit.junit;
