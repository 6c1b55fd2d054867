package io.github.perfkit.jdbc.internal;

import io.github.perfkit.jdbc.WritePath;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Chooses the fastest correct write path for a statement on a connection: PostgreSQL COPY or
 * DuckDB's Appender for plain inserts when their drivers are present, else {@code executeBatch}.
 * Driver classes are referenced only from the sink classes, which load only when the driver is on
 * the class path.
 */
public final class FastPaths {

  private static final boolean PGJDBC = present("org.postgresql.PGConnection");
  private static final boolean DUCKDB = present("org.duckdb.DuckDBConnection");

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
   * @return the bulk path to use, or empty for {@code executeBatch}
   */
  public static Optional<WritePath> choose(Connection connection, Optional<InsertShape> shape) {
    if (shape.isEmpty()) {
      return Optional.empty();
    }
    if (PGJDBC && PgCopySink.supports(connection)) {
      return Optional.of(WritePath.POSTGRES_COPY);
    }
    if (DUCKDB && DuckAppenderSink.supports(connection, shape.get())) {
      return Optional.of(WritePath.DUCKDB_APPENDER);
    }
    return Optional.empty();
  }

  /**
   * @param path a bulk path {@link #choose} returned
   * @param value a value a binder set
   * @return whether that path can send it
   */
  public static boolean accepts(WritePath path, Object value) {
    return switch (path) {
      case POSTGRES_COPY -> PgCopySink.accepts(value);
      case DUCKDB_APPENDER -> DuckAppenderSink.accepts(value);
      case JDBC_BATCH -> true;
    };
  }

  /**
   * @param path a bulk path {@link #choose} returned
   * @param connection the connection
   * @param shape the insert
   * @return the sink, started
   * @throws SQLException if it cannot start
   */
  public static BulkSink open(WritePath path, Connection connection, InsertShape shape)
      throws SQLException {
    return switch (path) {
      case POSTGRES_COPY -> new PgCopySink(connection, shape);
      case DUCKDB_APPENDER -> new DuckAppenderSink(connection, shape);
      case JDBC_BATCH -> throw new IllegalArgumentException("not a bulk path: " + path);
    };
  }
}
