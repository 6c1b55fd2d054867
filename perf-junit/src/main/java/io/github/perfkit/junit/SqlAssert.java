package io.github.perfkit.junit;

import io.github.perfkit.core.CheckedRunnable;
import io.github.perfkit.core.internal.Require;
import io.github.perfkit.jdbc.SqlLog;
import io.github.perfkit.jdbc.TimedDataSource;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on the SQL a block executed: exact counts by kind, no repeated SELECT (the
 * N+1 pattern), batched writes. A failure names the statement shapes (never a literal) and the
 * method that issued them. Counts are exact, so these budgets need no quiet machine.
 *
 * <pre>{@code
 * assertThatSql(() -> service.orders(ids))     // every TimedDataSource of the JVM
 *     .hasSelects(1).hasNoDuplicateSelects().usesBatching();
 * }</pre>
 *
 * <p>What is counted is {@link TimedDataSource#recordAll}'s (or {@link TimedDataSource#record}'s
 * with a data source): every statement through the data source(s) on any thread while the block
 * runs, so the threads it starts and the tasks it submits count if they finish before it returns;
 * see {@link SqlLog}. Needs perf-jdbc on the class path (an optional dependency of perf-junit).
 * Not thread-safe (as every AssertJ assertion); the block runs once, on the calling thread.
 */
public final class SqlAssert extends AbstractAssert<SqlAssert, SqlLog> {

  private SqlAssert(SqlLog log) {
    super(log, SqlAssert.class);
  }

  /**
   * Runs {@code block} once, recording the statements of every {@link TimedDataSource} of the JVM.
   *
   * @param block the code under test
   * @param <E> what it may throw
   * @return assertions on its statements
   * @throws E what the block threw
   */
  public static <E extends Exception> SqlAssert assertThatSql(CheckedRunnable<E> block) throws E {
    return new SqlAssert(TimedDataSource.recordAll(Require.notNull(block, "block")));
  }

  /**
   * Runs {@code block} once, recording the statements of one data source.
   *
   * @param dataSource the data source the block uses
   * @param block the code under test
   * @param <E> what it may throw
   * @return assertions on its statements
   * @throws E what the block threw
   */
  public static <E extends Exception> SqlAssert assertThatSql(TimedDataSource dataSource,
      CheckedRunnable<E> block) throws E {
    Require.notNull(dataSource, "dataSource");
    return new SqlAssert(dataSource.record(Require.notNull(block, "block")));
  }

  /**
   * @param log statements recorded before
   * @return assertions on them
   */
  public static SqlAssert assertThatSql(SqlLog log) {
    return new SqlAssert(Require.notNull(log, "log"));
  }

  /**
   * @param expected the exact number of SELECTs
   * @return this
   */
  public SqlAssert hasSelects(int expected) {
    return has(SqlLog.Kind.SELECT, expected);
  }

  /**
   * @param expected the exact number of INSERTs (a batch counts once)
   * @return this
   */
  public SqlAssert hasInserts(int expected) {
    return has(SqlLog.Kind.INSERT, expected);
  }

  /**
   * @param expected the exact number of UPDATEs (a batch counts once)
   * @return this
   */
  public SqlAssert hasUpdates(int expected) {
    return has(SqlLog.Kind.UPDATE, expected);
  }

  /**
   * @param expected the exact number of DELETEs (a batch counts once)
   * @return this
   */
  public SqlAssert hasDeletes(int expected) {
    return has(SqlLog.Kind.DELETE, expected);
  }

  /**
   * @param expected the exact number of statements of every kind
   * @return this
   */
  public SqlAssert hasStatements(int expected) {
    Require.nonNegative(expected, "expected");
    isNotNull();
    if (actual.total() != expected) {
      StringBuilder all = new StringBuilder();
      for (SqlLog.Kind k : SqlLog.Kind.values()) {
        all.append(actual.describe(k));
      }
      failWithMessage("expected %d statements but the block ran %d:%n%s", expected,
          actual.total(), all);
    }
    return this;
  }

  /**
   * No SELECT shape ran more than once: the N+1 pattern (one query per item) fails, naming the
   * shape, how often it ran and the method that issued it.
   *
   * @return this
   */
  public SqlAssert hasNoDuplicateSelects() {
    isNotNull();
    List<SqlLog.Repeat> repeats = actual.repeatedSelects();
    if (!repeats.isEmpty()) {
      failWithMessage("expected no SELECT to run twice but %d did (an N+1 pattern? fetch them"
          + " in one query, or with perf-jdbc's KeyFetcher):%n%s", repeats.size(), lines(repeats));
    }
    return this;
  }

  /**
   * No INSERT, UPDATE or DELETE shape ran more than once outside a JDBC batch ({@code addBatch}
   * and {@code executeBatch}, or perf-jdbc's {@code BatchWriter}).
   *
   * @return this
   */
  public SqlAssert usesBatching() {
    isNotNull();
    List<SqlLog.Repeat> repeats = actual.unbatchedWrites();
    if (!repeats.isEmpty()) {
      failWithMessage("expected writes to be batched but %d statement shape(s) ran one by one"
          + " (use addBatch/executeBatch, or perf-jdbc's BatchWriter):%n%s", repeats.size(),
          lines(repeats));
    }
    return this;
  }

  private SqlAssert has(SqlLog.Kind kind, int expected) {
    Require.nonNegative(expected, "expected");
    isNotNull();
    int n = actual.count(kind);
    if (n != expected) {
      failWithMessage("expected %d %s but the block ran %d%s%n%s", expected, kind, n,
          actual.repeatedSelects().isEmpty() || kind != SqlLog.Kind.SELECT ? ":"
              : " (an N+1 pattern?):", actual.describe(kind));
    }
    return this;
  }

  private static String lines(List<SqlLog.Repeat> repeats) {
    StringBuilder out = new StringBuilder();
    for (SqlLog.Repeat r : repeats) {
      out.append("  ").append(r.describe()).append('\n');
    }
    return out.toString();
  }
}
