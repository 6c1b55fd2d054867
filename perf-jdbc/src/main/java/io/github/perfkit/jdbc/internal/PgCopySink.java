package io.github.perfkit.jdbc.internal;

import io.github.perfkit.jdbc.ParameterBinder;
import io.github.perfkit.jdbc.WritePath;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.ZoneId;
import java.time.temporal.TemporalAccessor;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * PostgreSQL's fastest load path: {@code COPY table (columns) FROM STDIN} in text format, through
 * pgjdbc's {@code CopyManager}. Rows are encoded into a 64 KiB buffer that is streamed to the server
 * whenever it fills and at every chunk boundary: memory stays flat whatever the number of rows.
 * Loaded only when pgjdbc is on the class path.
 *
 * @param <T> the row type
 */
public final class PgCopySink<T> extends BulkSink<T> {

  private static final int FLUSH_AT = 1 << 16;
  private static final Pattern LINE = Pattern.compile("line (\\d+)");
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final Connection connection;
  private final String sql;
  private final StringBuilder text = new StringBuilder(FLUSH_AT + 1024);
  private CopyIn copy;

  /**
   * COPY for one writer's insert: binary when {@code binaryTypes} is present (every inserted column
   * has a binary encoding) and a write's first row's values encode for their columns, else text.
   *
   * @param shape the insert
   * @param binaryTypes per column, its binary type code ({@link PgBinaryCopySink#columnTypes}), or
   *     null for text COPY only
   * @param sessionZone the session's time zone, for {@code LocalDateTime} into
   *     {@code timestamptz}, or null
   */
  record Path(InsertShape shape, byte[] binaryTypes, ZoneId sessionZone) implements BulkPath {
    @Override
    public WritePath path() {
      return binaryTypes != null ? WritePath.POSTGRES_BINARY_COPY : WritePath.POSTGRES_COPY;
    }

    @Override
    public boolean accepts(Object value) {
      return PgCopySink.accepts(value);
    }

    @Override
    public <T> BulkSink<T> open(Connection connection, ParameterBinder<? super T> binder,
        CapturedRow row) throws SQLException {
      if (binaryTypes != null && PgBinaryCopySink.encodes(binaryTypes, sessionZone, row)) {
        return new PgBinaryCopySink<>(connection, shape, binaryTypes, sessionZone, binder, row);
      }
      return new PgCopySink<>(connection, shape, binder, row);
    }
  }

  /**
   * Decides this writer's COPY format, reading the inserted columns' types once.
   *
   * @param connection a pgjdbc connection
   * @param shape the insert
   * @param binary whether binary COPY may be used
   * @return the path
   * @throws SQLException if the catalog cannot be read
   */
  static Path path(Connection connection, InsertShape shape, boolean binary) throws SQLException {
    if (!binary) {
      return new Path(shape, null, null);
    }
    byte[] types = PgBinaryCopySink.columnTypes(connection, shape).orElse(null);
    return new Path(shape, types, types == null ? null : PgBinaryCopySink.sessionZone(connection));
  }

  /**
   * Starts the COPY.
   *
   * @param connection a pgjdbc connection (or a pool's proxy of one), autocommit off
   * @param shape the insert it replaces
   * @param binder binds one row
   * @param row the row the binder sets
   * @throws SQLException if COPY cannot start
   */
  PgCopySink(Connection connection, InsertShape shape, ParameterBinder<? super T> binder,
      CapturedRow row) throws SQLException {
    super(binder, row);
    String table = shape.schema() == null ? shape.table() : shape.schema() + "." + shape.table();
    this.connection = connection;
    this.sql = "COPY " + table + " (" + String.join(", ", shape.columns()) + ") FROM STDIN";
    restart();
  }

  @Override
  public WritePath path() {
    return WritePath.POSTGRES_COPY;
  }

  @Override
  public void restart() throws SQLException {
    this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
  }

  /**
   * @param connection a connection
   * @return whether it is (or wraps) a pgjdbc connection
   */
  public static boolean supports(Connection connection) {
    try {
      return connection.isWrapperFor(PGConnection.class);
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * @param v a value a binder set
   * @return whether this path can send it
   */
  public static boolean accepts(Object v) {
    return v == null || v instanceof Number || v instanceof CharSequence || v instanceof Boolean
        || v instanceof java.util.Date || v instanceof TemporalAccessor || v instanceof UUID
        || v instanceof byte[];
  }

  @Override
  protected void write(CapturedRow row) throws SQLException {
    int n = row.size();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        text.append('\t');
      }
      // primitives are formatted straight into the buffer, as their boxes print (no escaping:
      // digits, signs, '.', 'E', "NaN" and "Infinity" need none, and PostgreSQL reads them all)
      switch (row.kind(i)) {
        case CapturedRow.LONG, CapturedRow.INT, CapturedRow.SHORT, CapturedRow.BYTE ->
            text.append(row.longAt(i));
        case CapturedRow.BOOLEAN -> text.append(row.longAt(i) != 0 ? 't' : 'f');
        case CapturedRow.DOUBLE -> text.append(row.doubleAt(i));
        case CapturedRow.FLOAT -> text.append((float) row.doubleAt(i));
        case CapturedRow.NULL -> text.append("\\N");
        default -> append(row.objectAt(i));
      }
    }
    text.append('\n');
    if (text.length() >= FLUSH_AT) {
      flush();
    }
  }

  private void append(Object v) throws SQLException {
    if (v == null) {
      text.append("\\N");
    } else if (v instanceof byte[] bytes) {
      text.append("\\\\x"); // bytea hex input, its backslash escaped for COPY's text format
      for (byte b : bytes) {
        text.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
      }
    } else if (v instanceof Boolean b) {
      text.append(b ? 't' : 'f');
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short
        || v instanceof Byte) {
      text.append(((Number) v).longValue());
    } else if (v instanceof BigDecimal d) {
      text.append(d.toPlainString());
    } else if (v instanceof Timestamp ts) { // as pgjdbc sends it: local time with the JVM's offset
      escape(ts.toLocalDateTime().atZone(ZoneId.systemDefault()).toOffsetDateTime().toString());
    } else if (v instanceof java.sql.Date d) {
      text.append(d.toLocalDate());
    } else if (accepts(v)) {
      escape(v.toString());
    } else {
      throw new SQLException("COPY cannot send a value of " + v.getClass().getName());
    }
  }

  private void escape(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\\' -> text.append("\\\\");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        case '\t' -> text.append("\\t");
        default -> text.append(ch);
      }
    }
  }

  private void flush() throws SQLException {
    if (text.length() == 0) {
      return;
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    text.setLength(0);
    copy.writeToCopy(bytes, 0, bytes.length);
  }

  @Override
  public boolean endChunk() throws SQLException {
    flush();
    return false; // the server reports a bad row when the COPY ends
  }

  @Override
  public void finish() throws SQLException {
    flush();
    copy.endCopy();
  }

  @Override
  public void abort() {
    try {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    } catch (SQLException ignored) {
      // the transaction is rolled back next
    }
  }

  /** The server's "line N" counts from the COPY's first row: the first row not yet accepted. */
  @Override
  public OptionalLong failedRow(SQLException failure, long unaccepted) {
    return lineOf(failure);
  }

  /**
   * @param failure what a COPY threw
   * @return the row the server named in its {@code line N} (0 for line 1), counted from the COPY's
   *     first row, when it named one
   */
  static OptionalLong lineOf(SQLException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PSQLException p) {
        ServerErrorMessage m = p.getServerErrorMessage();
        if (m != null && m.getWhere() != null) {
          Matcher line = LINE.matcher(m.getWhere());
          if (line.find()) {
            return OptionalLong.of(Long.parseLong(line.group(1)) - 1);
          }
        }
      }
    }
    return OptionalLong.empty();
  }
}
