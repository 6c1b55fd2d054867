package io.github.perfkit.jdbc.internal;

import io.github.perfkit.jdbc.ParameterBinder;
import io.github.perfkit.jdbc.WritePath;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PostgreSQL's fast upsert: each chunk is COPYed (binary when the columns allow, else text) into a
 * temporary staging table shaped like the inserted columns ({@code CREATE TEMP TABLE ... ON COMMIT
 * DROP AS SELECT cols FROM table WITH NO DATA}), then merged by one
 * {@code INSERT INTO table (cols) SELECT cols FROM stage ... ON CONFLICT ...} with the statement's
 * own conflict clause, and the stage is emptied. Everything runs in the write's transaction, so a
 * failure anywhere rolls back every row (and the stage) as on every other path.
 *
 * <p>Same result as {@code executeBatch} of the upsert row by row: when a chunk holds the same key
 * twice and the clause is {@code DO UPDATE}, PostgreSQL refuses to update a row twice in one
 * statement (SQLState 21000); the chunk is then merged again under a savepoint row by row in the
 * server, in input order, exactly as the batch would have run it. A value the stage's COPY rejects
 * is named by its row ({@code line N}); a failure of the merge (a constraint of the table) blames
 * the chunk, since PostgreSQL does not say which row of an {@code INSERT ... SELECT} failed.
 * Not thread-safe: one per write.
 *
 * @param <T> the row type
 */
public final class PgUpsertSink<T> implements ChunkSink<T> {

  private static final AtomicLong STAGES = new AtomicLong();

  private final Connection connection;
  private final boolean updates;
  private final String create;
  private final String merge;
  private final String rowByRow;
  private final String truncate;
  private final ChunkSink<T> copy; // into the stage
  private boolean copying; // a COPY into the stage is open
  private boolean staged; // the stage exists in this transaction
  private boolean merging; // the failure, if any, came from the merge

  /** The upsert path for one writer's statement. */
  record Path(UpsertShape upsert, byte[] binaryTypes, ZoneId sessionZone) implements BulkPath {
    @Override
    public WritePath path() {
      return WritePath.POSTGRES_COPY_UPSERT;
    }

    @Override
    public InsertShape shape() {
      return upsert.insert();
    }

    @Override
    public boolean accepts(Object value) {
      return PgCopySink.accepts(value);
    }

    @Override
    public <T> ChunkSink<T> open(Connection connection, ParameterBinder<? super T> binder,
        CapturedRow row) throws SQLException {
      return new PgUpsertSink<>(connection, this, binder, row);
    }
  }

  /**
   * Decides the upsert path of a writer, reading the inserted columns' types once.
   *
   * @param connection a pgjdbc connection
   * @param upsert the statement
   * @param binary whether the stage may be loaded by binary COPY
   * @return the path
   * @throws SQLException if the catalog cannot be read
   */
  static Path path(Connection connection, UpsertShape upsert, boolean binary)
      throws SQLException {
    PgCopySink.Path copy = PgCopySink.path(connection, upsert.insert(), binary);
    return new Path(upsert, copy.binaryTypes(), copy.sessionZone());
  }

  PgUpsertSink(Connection connection, Path path, ParameterBinder<? super T> binder,
      CapturedRow row) throws SQLException {
    InsertShape insert = path.upsert().insert();
    String table = insert.schema() == null ? insert.table()
        : insert.schema() + "." + insert.table();
    String stage = "perfkit_upsert_" + STAGES.incrementAndGet();
    String columns = String.join(", ", insert.columns());
    this.connection = connection;
    this.updates = path.upsert().updates();
    this.create = "CREATE TEMP TABLE IF NOT EXISTS " + stage + " ON COMMIT DROP AS SELECT "
        + columns + " FROM " + table + " WITH NO DATA";
    String select = "SELECT " + columns + " FROM pg_temp." + stage;
    this.merge = "INSERT INTO " + table + " (" + columns + ") " + select + " WHERE true "
        + path.upsert().conflict();
    this.rowByRow = "DO $perfkit$ DECLARE r record; BEGIN FOR r IN SELECT ctid AS c FROM pg_temp."
        + stage + " ORDER BY ctid LOOP INSERT INTO " + table + " (" + columns + ") " + select
        + " WHERE ctid = r.c " + path.upsert().conflict() + "; END LOOP; END $perfkit$";
    this.truncate = "TRUNCATE pg_temp." + stage;
    ensureStage();
    InsertShape stageShape = new InsertShape("pg_temp", stage, insert.columns());
    this.copy = path.binaryTypes() != null
        && PgBinaryCopySink.encodes(path.binaryTypes(), path.sessionZone(), row)
        ? new PgBinaryCopySink<>(connection, stageShape, path.binaryTypes(), path.sessionZone(),
            binder, row)
        : new PgCopySink<>(connection, stageShape, binder, row);
    this.copying = true;
  }

  private void ensureStage() throws SQLException {
    if (!staged) {
      try (Statement st = connection.createStatement()) {
        st.execute(create);
      }
      staged = true;
    }
  }

  @Override
  public WritePath path() {
    return WritePath.POSTGRES_COPY_UPSERT;
  }

  @Override
  public void bind(T row) throws SQLException {
    copy.bind(row);
  }

  @Override
  public void append() throws SQLException {
    if (!copying) {
      ensureStage();
      copy.restart();
      copying = true;
    }
    copy.append();
  }

  /** Ends the chunk's COPY into the stage, merges the stage into the table, empties the stage. */
  @Override
  public boolean endChunk() throws SQLException {
    if (!copying) {
      return true;
    }
    copy.finish();
    copying = false;
    merging = true;
    try (Statement st = connection.createStatement()) {
      if (updates) {
        st.execute("SAVEPOINT perfkit_upsert");
        try {
          st.executeUpdate(merge);
        } catch (SQLException e) {
          if (!"21000".equals(e.getSQLState())) {
            throw e;
          }
          // a key twice in the chunk: merge row by row, in input order, as executeBatch would
          st.execute("ROLLBACK TO SAVEPOINT perfkit_upsert");
          st.execute(rowByRow);
        }
        st.execute("RELEASE SAVEPOINT perfkit_upsert");
      } else {
        st.executeUpdate(merge);
      }
      st.execute(truncate);
    }
    merging = false;
    return true; // the table has every row of the chunk
  }

  @Override
  public void finish() throws SQLException {
    endChunk();
  }

  /** After a commit the stage is gone (ON COMMIT DROP): it is made again with the next row. */
  @Override
  public void restart() {
    staged = false;
  }

  @Override
  public void abort() {
    if (copying) {
      copy.abort();
      copying = false;
    }
  }

  @Override
  public OptionalLong failedRow(SQLException failure, long unaccepted) {
    return merging ? OptionalLong.empty() : copy.failedRow(failure, unaccepted);
  }

  @Override
  public void close() throws SQLException {
    copy.close(); // the stage goes with the transaction's end
  }
}
