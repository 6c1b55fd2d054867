package io.github.perfkit.jdbc.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises the upsert a bulk path can take over:
 * {@code INSERT INTO [schema.]table (c1, ...) VALUES (?, ...) ON CONFLICT ... DO UPDATE SET ...}
 * or {@code ... DO NOTHING} (PostgreSQL), a plain insert ({@link InsertShape}) followed by a
 * conflict clause that has no placeholder of its own, no {@code RETURNING} and no second statement.
 * The clause is kept as written, to be appended to an {@code INSERT ... SELECT}.
 *
 * @param insert the insert part
 * @param conflict the {@code ON CONFLICT ...} clause, as written
 */
public record UpsertShape(InsertShape insert, String conflict) {

  private static final Pattern ON_CONFLICT = Pattern.compile("ON\\s+CONFLICT\\b.*\\bDO\\b.*",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern RETURNING = Pattern.compile("\\bRETURNING\\b",
      Pattern.CASE_INSENSITIVE);

  /**
   * @param sql the statement
   * @return its shape, if it is an upsert of that form
   */
  public static Optional<UpsertShape> parse(String sql) {
    return InsertShape.parseWithTail(sql).flatMap(e -> {
      String tail = e.getValue();
      // parameters only in VALUES; no second statement; no dollar quote that could end ours
      if (!ON_CONFLICT.matcher(tail).matches() || tail.indexOf('?') >= 0
          || tail.indexOf(';') >= 0 || tail.indexOf('$') >= 0 || tail.contains("--")
          || tail.contains("/*") || RETURNING.matcher(tail).find()) {
        return Optional.empty();
      }
      return Optional.of(new UpsertShape(e.getKey(), tail));
    });
  }

  /** @return whether the clause updates (then one chunk may not touch a row twice in one statement) */
  boolean updates() {
    return tailUpper().matches("(?s).*\\bDO\\s+UPDATE\\b.*");
  }

  private String tailUpper() {
    return conflict.toUpperCase(Locale.ROOT);
  }
}
