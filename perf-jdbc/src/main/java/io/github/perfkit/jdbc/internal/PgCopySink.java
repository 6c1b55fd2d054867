package io.github.perfkit.jdbc.internal;

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
 */
public final class PgCopySink implements BulkSink {

  private static final int FLUSH_AT = 1 << 16;
  private static final Pattern LINE = Pattern.compile("line (\\d+)");
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final CopyIn copy;
  private final StringBuilder text = new StringBuilder(FLUSH_AT + 1024);

  /**
   * Starts the COPY.
   *
   * @param connection a pgjdbc connection (or a pool's proxy of one), autocommit off
   * @param shape the insert it replaces
   * @throws SQLException if COPY cannot start
   */
  public PgCopySink(Connection connection, InsertShape shape) throws SQLException {
    String table = shape.schema() == null ? shape.table() : shape.schema() + "." + shape.table();
    String sql = "COPY " + table + " (" + String.join(", ", shape.columns()) + ") FROM STDIN";
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
  public void row(CapturedRow row) throws SQLException {
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
  public void endChunk() throws SQLException {
    flush();
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

  @Override
  public OptionalLong failedRow(SQLException failure) {
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
