package io.github.perfkit.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Chooses the fastest correct write path for a statement on a connection: PostgreSQL COPY (binary
 * when every column type allows, else text), MariaDB's {@code LOAD DATA LOCAL} or
 * DuckDB's Appender for plain inserts when their drivers are present, PostgreSQL's stage-and-merge
 * for {@code ON CONFLICT} upserts, MariaDB's multi-row statements for
 * {@code ON DUPLICATE KEY UPDATE} upserts, else {@code executeBatch}
 * ({@link JdbcBatchSink}). Driver classes are referenced only from the sink classes, which load
 * only when the driver is on the class path.
 */
public final class FastPaths {

  /** Whether pgjdbc is on the class path. */
  public static final boolean PGJDBC = present("org.postgresql.PGConnection");
  private static final boolean DUCKDB = present("org.duckdb.DuckDBConnection");
  private static final boolean MARIADB = present("org.mariadb.jdbc.Connection");

  private FastPaths() {}

  private static boolean present(String className) {
    try {
      Class.forName(className, false, FastPaths.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * @param connection the connection the write will use
   * @param shape the statement's shape, if it is a plain insert
   * @param upsert the statement's shape, if it is a PostgreSQL upsert ({@code ON CONFLICT})
   * @param duplicateKey the statement's shape, if it is a MariaDB/MySQL upsert
   *     ({@code ON DUPLICATE KEY UPDATE})
   * @param binaryCopy whether PostgreSQL may use binary COPY (when every column's type has a
   *     binary encoding)
   * @return the bulk path, or empty for {@code executeBatch}
   * @throws SQLException if the catalog cannot be read
   */
  public static Optional<BulkPath> choose(Connection connection, Optional<InsertShape> shape,
      Optional<UpsertShape> upsert, Optional<DuplicateKeyShape> duplicateKey, boolean binaryCopy)
      throws SQLException {
    if (upsert.isPresent() && PGJDBC && PgCopySink.supports(connection)) {
      return Optional.of(PgUpsertSink.path(connection, upsert.get(), binaryCopy));
    }
    if (duplicateKey.isPresent()) {
      return MARIADB ? MariaDbUpsertSink.path(connection, duplicateKey.get()) : Optional.empty();
    }
    if (shape.isEmpty()) {
      return Optional.empty();
    }
    if (PGJDBC && PgCopySink.supports(connection)) {
      return Optional.of(PgCopySink.path(connection, shape.get(), binaryCopy));
    }
    if (DUCKDB && DuckAppenderSink.supports(connection, shape.get())) {
      return Optional.of(new DuckAppenderSink.Path(shape.get(),
          DuckAppenderSink.decimalScales(connection, shape.get())));
    }
    if (MARIADB && MariaDbLoadDataSink.supports(connection)) {
      return Optional.of(new MariaDbLoadDataSink.Path(shape.get()));
    }
    return Optional.empty();
  }
}
