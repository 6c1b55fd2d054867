package io.github.perfkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A SQL budget on a JUnit 5 test: the statements the test method executes through every perf-jdbc
 * {@code TimedDataSource} of the JVM, counted exactly by kind, on every thread while the method
 * runs (so the threads it starts and the tasks it submits count if they finish before it returns).
 * A failure names the statement shapes (never a literal) and the method that issued them.
 *
 * <pre>{@code
 * @Test
 * @SqlBudget(select = 1, insert = 0, noDuplicateSelects = true)
 * void ordersLoadInOneQuery() { service.orders(ids); }
 * }</pre>
 *
 * <p>Runs in the test's JVM (no fork); works with any JDBC driver and pool, as long as the code
 * under test gets its connections from a {@code TimedDataSource}. Statements of other tests
 * running at the same time through a {@code TimedDataSource} count too: do not run tests with a
 * budget in parallel with other database tests. Set-up in {@code @BeforeEach} is not counted.
 * Negative values (the defaults) are not checked. Needs perf-jdbc on the test class path. Checks
 * are {@link SqlAssert}'s; the cost is that of {@code TimedDataSource.recordAll}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(SqlBudgetExtension.class)
public @interface SqlBudget {

  /** @return the exact number of SELECTs; negative: not checked */
  int select() default -1;

  /** @return the exact number of INSERTs (a batch counts once); negative: not checked */
  int insert() default -1;

  /** @return the exact number of UPDATEs (a batch counts once); negative: not checked */
  int update() default -1;

  /** @return the exact number of DELETEs (a batch counts once); negative: not checked */
  int delete() default -1;

  /** @return the exact number of statements of every kind; negative: not checked */
  int total() default -1;

  /** @return whether a SELECT shape run twice (the N+1 pattern) fails the test */
  boolean noDuplicateSelects() default false;

  /** @return whether a write shape run twice outside a JDBC batch fails the test */
  boolean batching() default false;
}
