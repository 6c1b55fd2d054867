package io.github.perfkit.jdbc.internal;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises the MariaDB/MySQL upsert a multi-row statement can take over:
 * {@code INSERT INTO [schema.]table (c1, ...) VALUES (?, ...) ON DUPLICATE KEY UPDATE ...}, a plain
 * insert ({@link InsertShape}: plain identifiers, exactly one row of plain {@code ?} placeholders)
 * followed by an {@code ON DUPLICATE KEY UPDATE} clause with no placeholder of its own, no comment
 * ({@code --}, {@code #}, {@code /*}) and no second statement. Everything else is refused and keeps
 * {@code executeBatch}: {@code INSERT ... SELECT}, several rows in {@code VALUES} already, a
 * {@code VALUES} entry other than {@code ?} (an expression, a literal), {@code INSERT IGNORE},
 * {@code REPLACE}, quoted identifiers, a row alias ({@code VALUES (...) AS new}). The clause is kept
 * as written, to be appended after the rows of a multi-row {@code VALUES}. Immutable.
 *
 * @param insert the insert part
 * @param clause the {@code ON DUPLICATE KEY UPDATE ...} clause, as written
 */
public record DuplicateKeyShape(InsertShape insert, String clause) {

  private static final Pattern ON_DUPLICATE = Pattern.compile(
      "ON\\s+DUPLICATE\\s+KEY\\s+UPDATE\\s+\\S.*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /**
   * @param sql the statement
   * @return its shape, if it is an upsert of that form
   */
  public static Optional<DuplicateKeyShape> parse(String sql) {
    if (sql == null) {
      return Optional.empty();
    }
    return InsertShape.parseWithTail(sql).flatMap(e -> {
      String tail = e.getValue();
      // parameters only in the one VALUES row; no second statement; no comment that could swallow
      // what follows the clause
      if (!ON_DUPLICATE.matcher(tail).matches() || tail.indexOf('?') >= 0
          || tail.indexOf(';') >= 0 || tail.indexOf('#') >= 0 || tail.contains("--")
          || tail.contains("/*")) {
        return Optional.empty();
      }
      return Optional.of(new DuplicateKeyShape(e.getKey(), tail));
    });
  }
}
