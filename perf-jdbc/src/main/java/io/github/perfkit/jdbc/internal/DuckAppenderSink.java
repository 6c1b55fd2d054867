package io.github.perfkit.jdbc.internal;

import io.github.perfkit.jdbc.ParameterBinder;
import io.github.perfkit.jdbc.WritePath;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * DuckDB's fastest load path: its Appender, which writes rows straight into the table's column
 * storage, inside the connection's transaction. The Appender fills every column in table order, so
 * it is used only when the insert names all of the table's columns in that order. It is flushed at
 * every chunk boundary. A {@link BigDecimal} is rescaled to its DECIMAL column's scale (half up, as
 * an SQL cast rounds), since the appender rejects any other scale. Loaded only when the DuckDB
 * driver is on the class path.
 *
 * @param <T> the row type
 */
public final class DuckAppenderSink<T> extends BulkSink<T> {

  private final Connection connection;
  private final InsertShape shape;
  private final int[] decimalScale; // per column: the DECIMAL scale, or -1
  private DuckDBAppender appender;
  private int column;

  /**
   * The Appender for one writer's insert.
   *
   * @param shape the insert (all columns, in table order)
   * @param decimalScales from {@link #decimalScales}
   */
  record Path(InsertShape shape, int[] decimalScales) implements BulkPath {
    @Override
    public WritePath path() {
      return WritePath.DUCKDB_APPENDER;
    }

    @Override
    public boolean accepts(Object value) {
      return DuckAppenderSink.accepts(value);
    }

    @Override
    public <T> BulkSink<T> open(Connection connection, ParameterBinder<? super T> binder,
        CapturedRow row) throws SQLException {
      return new DuckAppenderSink<>(connection, shape, decimalScales, binder, row);
    }
  }

  /**
   * @param connection a DuckDB connection, autocommit off
   * @param shape the insert it replaces (all columns, in table order)
   * @param decimalScale from {@link #decimalScales}
   * @param binder binds one row
   * @param row the row the binder sets
   * @throws SQLException if the appender cannot be created
   */
  DuckAppenderSink(Connection connection, InsertShape shape, int[] decimalScale,
      ParameterBinder<? super T> binder, CapturedRow row) throws SQLException {
    super(binder, row);
    this.connection = connection;
    this.shape = shape;
    this.decimalScale = decimalScale;
    restart();
  }

  @Override
  public WritePath path() {
    return WritePath.DUCKDB_APPENDER;
  }

  @Override
  public void restart() throws SQLException {
    // The appender does not open a transaction of its own: with autocommit off, DuckDB's JDBC
    // driver begins one at the first statement, and without one every flush would commit by
    // itself (a failed write would then leave rows behind; BatchWriterTest caught exactly that).
    try (java.sql.Statement begin = connection.createStatement()) {
      begin.execute("SELECT 1");
    }
    this.appender = connection.unwrap(DuckDBConnection.class).createAppender(
        shape.schema() == null ? DuckDBConnection.DEFAULT_SCHEMA : shape.schema(), shape.table());
  }

  /**
   * Reads the table's DECIMAL scales once, for every write of one writer.
   *
   * @param connection a DuckDB connection
   * @param shape the insert
   * @return per column: the DECIMAL scale, or -1
   * @throws SQLException if the catalog cannot be read
   */
  public static int[] decimalScales(Connection connection, InsertShape shape) throws SQLException {
    String schema = shape.schema() == null ? DuckDBConnection.DEFAULT_SCHEMA : shape.schema();
    int[] scales = new int[shape.columns().size()];
    try (ResultSet rs = connection.getMetaData().getColumns(null, schema, shape.table(), null)) {
      for (int i = 0; rs.next() && i < scales.length; i++) {
        int type = rs.getInt("DATA_TYPE");
        scales[i] = type == java.sql.Types.DECIMAL || type == java.sql.Types.NUMERIC
            ? rs.getInt("DECIMAL_DIGITS") : -1;
      }
    }
    return scales;
  }

  /**
   * @param connection a connection
   * @param shape the insert
   * @return whether it is a DuckDB connection and the insert names every column in table order
   */
  public static boolean supports(Connection connection, InsertShape shape) {
    try {
      if (!connection.isWrapperFor(DuckDBConnection.class)) {
        return false;
      }
      DatabaseMetaData meta = connection.getMetaData();
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = meta.getColumns(null,
          shape.schema() == null ? DuckDBConnection.DEFAULT_SCHEMA : shape.schema(),
          shape.table(), null)) {
        while (rs.next()) {
          columns.add(rs.getString("COLUMN_NAME"));
        }
      }
      if (columns.size() != shape.columns().size()) {
        return false;
      }
      for (int i = 0; i < columns.size(); i++) {
        if (!columns.get(i).equalsIgnoreCase(shape.columns().get(i))) {
          return false;
        }
      }
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * @param v a value a binder set
   * @return whether this path can send it
   */
  public static boolean accepts(Object v) {
    return v == null || v instanceof Long || v instanceof Integer || v instanceof Short
        || v instanceof Byte || v instanceof Double || v instanceof Float || v instanceof Boolean
        || v instanceof String || v instanceof BigDecimal || v instanceof LocalDate
        || v instanceof LocalDateTime || v instanceof OffsetDateTime || v instanceof UUID
        || v instanceof byte[] || v instanceof Timestamp || v instanceof java.sql.Date;
  }

  @Override
  protected void write(CapturedRow row) throws SQLException {
    appender.beginRow();
    int n = row.size();
    for (column = 0; column < n; column++) {
      switch (row.kind(column)) { // primitives go straight to the appender, never boxed
        case CapturedRow.LONG -> appender.append(row.longAt(column));
        case CapturedRow.INT -> appender.append((int) row.longAt(column));
        case CapturedRow.SHORT -> appender.append((short) row.longAt(column));
        case CapturedRow.BYTE -> appender.append((byte) row.longAt(column));
        case CapturedRow.BOOLEAN -> appender.append(row.longAt(column) != 0);
        case CapturedRow.DOUBLE -> appender.append(row.doubleAt(column));
        case CapturedRow.FLOAT -> appender.append((float) row.doubleAt(column));
        case CapturedRow.NULL -> appender.appendNull();
        default -> append(row.objectAt(column));
      }
    }
    appender.endRow();
  }

  private void append(Object v) throws SQLException {
    if (v == null) {
      appender.appendNull();
    } else if (v instanceof Long l) {
      appender.append(l.longValue());
    } else if (v instanceof Integer i) {
      appender.append(i.intValue());
    } else if (v instanceof String s) {
      appender.append(s);
    } else if (v instanceof Double d) {
      appender.append(d.doubleValue());
    } else if (v instanceof Boolean b) {
      appender.append(b.booleanValue());
    } else if (v instanceof Short s) {
      appender.append(s.shortValue());
    } else if (v instanceof Byte b) {
      appender.append(b.byteValue());
    } else if (v instanceof Float f) {
      appender.append(f.floatValue());
    } else if (v instanceof BigDecimal d) {
      // the appender wants the column's exact scale; SQL's cast would round half away from zero
      int scale = decimalScale[column];
      appender.append(scale < 0 ? d : d.setScale(scale, java.math.RoundingMode.HALF_UP));
    } else if (v instanceof LocalDate d) {
      appender.append(d);
    } else if (v instanceof LocalDateTime t) {
      appender.append(t);
    } else if (v instanceof OffsetDateTime t) {
      appender.append(t);
    } else if (v instanceof UUID u) {
      appender.append(u);
    } else if (v instanceof byte[] b) {
      appender.append(b);
    } else if (v instanceof Timestamp ts) {
      appender.append(ts.toLocalDateTime());
    } else if (v instanceof java.sql.Date d) {
      appender.append(d.toLocalDate());
    } else {
      throw new SQLException("the DuckDB appender cannot send a value of "
          + v.getClass().getName());
    }
  }

  @Override
  public boolean endChunk() throws SQLException {
    appender.flush();
    return true; // a flush reports its own rows' failures
  }

  @Override
  public void finish() throws SQLException {
    appender.flush();
    appender.close();
  }

  @Override
  public void abort() {
    try {
      appender.close();
    } catch (SQLException | RuntimeException ignored) {
      // the transaction is rolled back next
    }
  }

  @Override
  public OptionalLong failedRow(SQLException failure, long unaccepted) {
    return OptionalLong.empty(); // DuckDB reports constraint failures per flush, not per row
  }
}
