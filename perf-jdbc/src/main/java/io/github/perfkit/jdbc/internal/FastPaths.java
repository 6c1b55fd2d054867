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
   * A decision for one writer: which bulk path, and what it needs to know about the table.
   *
   * @param path the bulk path
   * @param shape the insert
   * @param decimalScales DuckDB only: per column DECIMAL scale or -1
   */
  public record Plan(WritePath path, InsertShape shape, int[] decimalScales) {

    /**
     * @param connection the write's connection
     * @return a started sink
     * @throws SQLException if it cannot start
     */
    public BulkSink open(Connection connection) throws SQLException {
      return switch (path) {
        case POSTGRES_COPY -> new PgCopySink(connection, shape);
        case DUCKDB_APPENDER -> new DuckAppenderSink(connection, shape, decimalScales);
        case JDBC_BATCH -> throw new IllegalStateException("not a bulk path");
      };
    }
  }

  /**
   * @param connection the connection the write will use
   * @param shape the statement's shape, if it is a plain insert
   * @return the bulk plan, or empty for {@code executeBatch}
   * @throws SQLException if the catalog cannot be read
   */
  public static Optional<Plan> choose(Connection connection, Optional<InsertShape> shape)
      throws SQLException {
    if (shape.isEmpty()) {
      return Optional.empty();
    }
    if (PGJDBC && PgCopySink.supports(connection)) {
      return Optional.of(new Plan(WritePath.POSTGRES_COPY, shape.get(), null));
    }
    if (DUCKDB && DuckAppenderSink.supports(connection, shape.get())) {
      return Optional.of(new Plan(WritePath.DUCKDB_APPENDER, shape.get(),
          DuckAppenderSink.decimalScales(connection, shape.get())));
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
}
