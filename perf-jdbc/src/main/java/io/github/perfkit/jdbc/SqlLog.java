package io.github.perfkit.jdbc;

import io.github.perfkit.core.internal.Require;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The SQL statements a block of code executed, by kind and shape, with the thread and the calling
 * method of each: what {@link TimedDataSource#record(io.github.perfkit.core.CheckedRunnable)} and
 * {@link TimedDataSource#recordAll(io.github.perfkit.core.CheckedRunnable)} return, and what perf-junit's {@code @SqlBudget} and
 * {@code assertThatSql} check. Counts are exact (every execution is one entry), so a budget on them
 * needs no quiet machine.
 *
 * <pre>{@code
 * SqlLog log = timed.record(() -> service.orders(ids));
 * log.selects();            // 1 when the lines come in one query, 1 + ids.size() for an N+1 loop
 * log.repeatedSelects();    // the SELECT shapes run more than once, with their callers
 * }</pre>
 *
 * <p><b>What is counted.</b> Every statement execution ({@code execute*} on a {@code Statement},
 * {@code PreparedStatement} or {@code CallableStatement}) through the recorded data source(s) on
 * any thread, from the moment the block starts until it returns: statements of threads the block
 * starts and of tasks it submits to a pool are counted as long as they run before the block
 * returns (so the block must wait for its tasks). Statements of unrelated work running through the
 * same data source in that window are counted too: record a data source the test owns, or run such
 * tests one at a time. One {@code executeBatch} is one entry, marked {@link Statement#batch()}.
 * A statement seen by two wrappers (a {@link TimedDataSource} around a pool around another
 * {@link TimedDataSource}) is one entry, recorded by the outer one.
 *
 * <p>Immutable and thread-safe. Shapes carry no literal (see {@link TimedDataSource}).
 */
public final class SqlLog {

  /** What a statement does, from its first keyword (never from a literal or a comment). */
  public enum Kind {
    /** {@code SELECT}, {@code WITH ... SELECT}, {@code VALUES}, {@code TABLE}. */
    SELECT,
    /** {@code INSERT} (and {@code REPLACE}, {@code UPSERT}, {@code MERGE}). */
    INSERT,
    /** {@code UPDATE}. */
    UPDATE,
    /** {@code DELETE}. */
    DELETE,
    /** Anything else: DDL, {@code CALL}, {@code SELECT ... INTO}, a {@code Statement} batch. */
    OTHER
  }

  /**
   * One execution.
   *
   * @param kind what it does
   * @param shape the SQL with literals replaced by {@code ?}
   * @param thread the name of the thread that executed it
   * @param caller the first frame outside the JDK, JDBC drivers, pools and perfkit: the code that
   *     issued it, as {@code Class.method(File.java:line)}
   * @param batch whether it was an {@code executeBatch}
   */
  public record Statement(Kind kind, String shape, String thread, String caller, boolean batch) {
    /** Validates. */
    public Statement {
      Require.notNull(kind, "kind");
      Require.notNull(shape, "shape");
      Require.notNull(thread, "thread");
      Require.notNull(caller, "caller");
    }
  }

  /**
   * A shape executed more than once.
   *
   * @param shape the shape
   * @param count how many times
   * @param callers the calling frames, most frequent first, with their counts
   */
  public record Repeat(String shape, int count, Map<String, Integer> callers) {
    /** Copies. */
    public Repeat {
      callers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(callers));
    }

    /** @return e.g. {@code 5 x SELECT ... from OrderService.lines(OrderService.java:42)} */
    public String describe() {
      StringBuilder out = new StringBuilder().append(count).append(" x ").append(shape)
          .append(" from ");
      String sep = "";
      for (Map.Entry<String, Integer> e : callers.entrySet()) {
        out.append(sep).append(e.getKey());
        if (callers.size() > 1) {
          out.append(" (").append(e.getValue()).append(')');
        }
        sep = ", ";
      }
      return out.toString();
    }
  }

  private final List<Statement> statements;

  SqlLog(List<Statement> statements) {
    this.statements = List.copyOf(statements);
  }

  /** @return every execution, in the order they finished */
  public List<Statement> statements() {
    return statements;
  }

  /**
   * @param kind a kind
   * @return how many executions were of it
   */
  public int count(Kind kind) {
    Require.notNull(kind, "kind");
    int n = 0;
    for (Statement s : statements) {
      if (s.kind() == kind) {
        n++;
      }
    }
    return n;
  }

  /** @return the number of {@link Kind#SELECT} executions */
  public int selects() {
    return count(Kind.SELECT);
  }

  /** @return the number of {@link Kind#INSERT} executions (a batch counts once) */
  public int inserts() {
    return count(Kind.INSERT);
  }

  /** @return the number of {@link Kind#UPDATE} executions (a batch counts once) */
  public int updates() {
    return count(Kind.UPDATE);
  }

  /** @return the number of {@link Kind#DELETE} executions (a batch counts once) */
  public int deletes() {
    return count(Kind.DELETE);
  }

  /** @return the number of executions of every kind */
  public int total() {
    return statements.size();
  }

  /**
   * The SELECT shapes executed more than once: the N+1 pattern (one query per item), naming the
   * method that issued them.
   *
   * @return the repeats, most frequent first
   */
  public List<Repeat> repeatedSelects() {
    return repeats(statements.stream().filter(s -> s.kind() == Kind.SELECT).toList());
  }

  /**
   * The data-change shapes (insert, update, delete) executed more than once without batching: the
   * write-side N+1, where {@code addBatch}/{@code executeBatch} (or perf-jdbc's
   * {@link BatchWriter}) would send them together.
   *
   * @return the repeats, most frequent first
   */
  public List<Repeat> unbatchedWrites() {
    return repeats(statements.stream().filter(s -> !s.batch() && (s.kind() == Kind.INSERT
        || s.kind() == Kind.UPDATE || s.kind() == Kind.DELETE)).toList());
  }

  private static List<Repeat> repeats(List<Statement> of) {
    Map<String, Map<String, Integer>> byShape = new LinkedHashMap<>();
    for (Statement s : of) {
      byShape.computeIfAbsent(s.shape(), k -> new LinkedHashMap<>()).merge(s.caller(), 1,
          Integer::sum);
    }
    List<Repeat> out = new ArrayList<>();
    byShape.forEach((shape, callers) -> {
      int n = callers.values().stream().mapToInt(Integer::intValue).sum();
      if (n > 1) {
        Map<String, Integer> sorted = new LinkedHashMap<>();
        callers.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
            .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        out.add(new Repeat(shape, n, sorted));
      }
    });
    out.sort((a, b) -> b.count() - a.count());
    return out;
  }

  /**
   * @param kind a kind
   * @return its executions grouped by shape, as lines {@code count x shape from caller}
   */
  public String describe(Kind kind) {
    Require.notNull(kind, "kind");
    Map<String, Map<String, Integer>> byShape = new LinkedHashMap<>();
    for (Statement s : statements) {
      if (s.kind() == kind) {
        byShape.computeIfAbsent(s.shape(), k -> new LinkedHashMap<>()).merge(s.caller(), 1,
            Integer::sum);
      }
    }
    StringBuilder out = new StringBuilder();
    byShape.forEach((shape, callers) -> out.append("  ").append(new Repeat(shape,
        callers.values().stream().mapToInt(Integer::intValue).sum(), callers).describe())
        .append('\n'));
    return out.toString();
  }

  /** @return the counts, e.g. {@code 3 statements: 2 select, 1 insert, 0 update, 0 delete, 0 other} */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d statements: %d select, %d insert, %d update, %d delete,"
        + " %d other", total(), selects(), inserts(), updates(), deletes(), count(Kind.OTHER));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SqlLog other && statements.equals(other.statements);
  }

  @Override
  public int hashCode() {
    return Objects.hash(statements);
  }
}
