package io.github.perfkit.jdbc.internal;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.core.BaseConnection;

/**
 * Which entry of a pgjdbc {@code executeBatch} failed. pgjdbc marks every entry of a failed batch
 * {@code EXECUTE_FAILED} and says the entry only in its message, "Batch entry 3,456 INSERT ... was
 * aborted: ..." (the index formatted for the JVM's locale). Only the index is read from the
 * message, never the rest. With {@code reWriteBatchedInserts=true} pgjdbc's entries are groups of
 * rows, so no row is named then. Loaded only when pgjdbc is on the class path.
 */
public final class PgBatchEntry {

  /** The English message's index, with the grouping separators a locale may add. */
  private static final Pattern ENTRY = Pattern.compile(
      "Batch entry (\\d{1,3}(?:[,.\u00a0\u202f' ]\\d{3})+|\\d+) ");

  private PgBatchEntry() {}

  /**
   * @param connection the connection that ran the batch (or a pool's proxy of it)
   * @param failure what {@code executeBatch} threw
   * @param batchSize rows in the batch
   * @return the failing entry's index within the batch, when pgjdbc said which
   */
  public static OptionalInt failedEntry(Connection connection, BatchUpdateException failure,
      int batchSize) {
    try {
      if (!connection.isWrapperFor(BaseConnection.class)
          || connection.unwrap(BaseConnection.class).getQueryExecutor()
              .isReWriteBatchedInsertsEnabled()) {
        return OptionalInt.empty();
      }
    } catch (SQLException | RuntimeException e) {
      return OptionalInt.empty();
    }
    String message = failure.getMessage();
    if (message == null) {
      return OptionalInt.empty();
    }
    Matcher m = ENTRY.matcher(message);
    if (!m.lookingAt()) {
      return OptionalInt.empty(); // a translated message: the row stays unknown
    }
    String digits = m.group(1).replaceAll("[^0-9]", "");
    if (digits.length() > 9) {
      return OptionalInt.empty();
    }
    int entry = Integer.parseInt(digits);
    return entry < batchSize ? OptionalInt.of(entry) : OptionalInt.empty();
  }
}
