package io.github.perfkit.jdbc.internal;

import io.github.perfkit.jdbc.ParameterBinder;
import io.github.perfkit.jdbc.WritePath;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MariaDB's client-side bulk load: {@code LOAD DATA LOCAL INFILE} fed from memory through
 * Connector/J's {@code setLocalInfileInputStream}, used when the connection allows it (the driver's
 * {@code allowLocalInfile=true} and the server's {@code local_infile}). Rows are encoded as
 * tab-separated text with MariaDB's default escapes (backslash, tab, newline, carriage return and
 * NUL escaped by a backslash; NULL as {@code \N}) into a buffer that is loaded by one statement
 * whenever it passes 1 MiB and at every chunk boundary, inside the write's transaction: client
 * memory stays flat whatever the number of rows.
 *
 * <p>{@code LOCAL} makes MariaDB turn what would fail an {@code INSERT} (a duplicate key, a value
 * too long or not a number under strict mode) into warnings and go on, skipping or truncating the
 * row. This sink treats any warning, or a loaded-row count that differs from the rows sent, as the
 * load failing: the write is rolled back as on every other path, and the row is named when the
 * warning says {@code at row N} (a duplicate key does not: the chunk is blamed). The SQLException
 * says how many warnings and the first one's code, never its text (which quotes the value; it is
 * the exception's next exception). Warnings of level Note (what an {@code INSERT} only notes too,
 * such as a DECIMAL rounded to its scale) do not fail the load. Under a non-strict
 * {@code sql_mode} this path is stricter than {@code INSERT}, which would store the truncated
 * value with a warning. Binary values ({@code byte[]}) keep {@code executeBatch}. Loaded only
 * when Connector/J is on the class path.
 *
 * @param <T> the row type
 */
public final class MariaDbLoadDataSink<T> extends BulkSink<T> {

  private static final int LOAD_AT = 1 << 20;
  private static final Pattern AT_ROW = Pattern.compile("at row (\\d+)");

  private final Connection connection;
  private final String sql;
  private byte[] buf = new byte[LOAD_AT + 1024];
  private int pos;
  private long sinceAccepted; // rows appended since the last chunk boundary
  private long loadStart; // the first row of the buffer, counted as sinceAccepted counts
  private long inBuffer; // rows in the buffer
  private long failedAt = -1; // the row a failed load named, counted as sinceAccepted counts

  /** LOAD DATA for one writer's insert. */
  record Path(InsertShape shape) implements BulkPath {
    @Override
    public WritePath path() {
      return WritePath.MARIADB_LOAD_DATA;
    }

    @Override
    public boolean accepts(Object value) {
      return MariaDbLoadDataSink.accepts(value);
    }

    @Override
    public <T> ChunkSink<T> open(Connection connection, ParameterBinder<? super T> binder,
        CapturedRow row) {
      return new MariaDbLoadDataSink<>(connection, shape, binder, row);
    }
  }

  MariaDbLoadDataSink(Connection connection, InsertShape shape, ParameterBinder<? super T> binder,
      CapturedRow row) {
    super(binder, row);
    String table = shape.schema() == null ? shape.table() : shape.schema() + "." + shape.table();
    this.connection = connection;
    this.sql = "LOAD DATA LOCAL INFILE 'perfkit.tsv' INTO TABLE " + table
        + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\'"
        + " LINES TERMINATED BY '\\n' (" + String.join(", ", shape.columns()) + ")";
  }

  /**
   * @param connection a connection
   * @return whether it is a Connector/J connection that allows {@code LOAD DATA LOCAL} and its
   *     server has {@code local_infile} on
   */
  public static boolean supports(Connection connection) {
    try {
      if (!connection.isWrapperFor(org.mariadb.jdbc.Connection.class)
          || !connection.unwrap(org.mariadb.jdbc.Connection.class).getContext().getConf()
              .allowLocalInfile()) {
        return false;
      }
      try (Statement st = connection.createStatement();
          ResultSet rs = st.executeQuery("SELECT @@local_infile")) {
        return rs.next() && rs.getLong(1) == 1;
      }
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /**
   * @param v a value a binder set
   * @return whether this path can send it
   */
  public static boolean accepts(Object v) {
    return v == null || v instanceof CharSequence || v instanceof Long || v instanceof Integer
        || v instanceof Short || v instanceof Byte || v instanceof Double || v instanceof Float
        || v instanceof BigDecimal || v instanceof java.math.BigInteger || v instanceof Boolean
        || v instanceof Timestamp || v instanceof java.sql.Date || v instanceof java.sql.Time
        || v instanceof LocalDate || v instanceof LocalDateTime || v instanceof LocalTime
        || v instanceof UUID;
  }

  @Override
  public WritePath path() {
    return WritePath.MARIADB_LOAD_DATA;
  }

  @Override
  public void restart() {
    // every load is a statement of its own: nothing to start
  }

  @Override
  protected void write(CapturedRow row) throws SQLException {
    int n = row.size();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        put('\t');
      }
      switch (row.kind(i)) {
        case CapturedRow.LONG, CapturedRow.INT, CapturedRow.SHORT, CapturedRow.BYTE ->
            ascii(Long.toString(row.longAt(i)));
        case CapturedRow.BOOLEAN -> put(row.longAt(i) != 0 ? '1' : '0');
        case CapturedRow.DOUBLE -> ascii(Double.toString(row.doubleAt(i)));
        case CapturedRow.FLOAT -> ascii(Float.toString((float) row.doubleAt(i)));
        case CapturedRow.NULL -> ascii("\\N");
        default -> value(row.objectAt(i));
      }
    }
    put('\n');
    sinceAccepted++;
    inBuffer++;
    if (pos >= LOAD_AT) {
      load();
    }
  }

  private void value(Object v) throws SQLException {
    if (v == null) {
      ascii("\\N");
    } else if (v instanceof CharSequence s) {
      escape(s.toString());
    } else if (v instanceof Boolean b) {
      put(b ? '1' : '0');
    } else if (v instanceof BigDecimal d) {
      ascii(d.toPlainString());
    } else if (v instanceof Number) {
      ascii(v.toString());
    } else if (v instanceof Timestamp ts) { // its local time, as Connector/J sends it
      dateTime(ts.toLocalDateTime());
    } else if (v instanceof LocalDateTime t) {
      dateTime(t);
    } else if (v instanceof java.sql.Date d) {
      ascii(d.toLocalDate().toString());
    } else if (v instanceof java.sql.Time t) {
      ascii(t.toLocalTime().toString());
    } else if (v instanceof LocalDate || v instanceof LocalTime || v instanceof UUID) {
      ascii(v.toString());
    } else {
      throw new SQLException("LOAD DATA cannot send a value of " + v.getClass().getName());
    }
  }

  /** {@code yyyy-MM-dd HH:mm:ss[.ffffff]}: microseconds, the most MariaDB keeps. */
  private void dateTime(LocalDateTime t) {
    ascii(t.toLocalDate().toString());
    put(' ');
    LocalTime time = t.toLocalTime();
    ascii(time.withNano(0).toString());
    if (time.getSecond() == 0) {
      ascii(":00"); // LocalTime prints 12:00, MariaDB wants the seconds too
    }
    int micros = time.getNano() / 1_000;
    if (micros != 0) {
      String digits = Integer.toString(1_000_000 + micros);
      put('.');
      ascii(digits.substring(1));
    }
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }

  private void put(char c) {
    ensure(1);
    buf[pos++] = (byte) c;
  }

  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int c = 0; c < n; c++) {
      buf[pos++] = (byte) s.charAt(c);
    }
  }

  private void escape(String s) {
    int n = s.length();
    ensure(4 * n);
    for (int c = 0; c < n; c++) {
      char ch = s.charAt(c);
      switch (ch) {
        case '\\' -> { buf[pos++] = '\\'; buf[pos++] = '\\'; }
        case '\t' -> { buf[pos++] = '\\'; buf[pos++] = 't'; }
        case '\n' -> { buf[pos++] = '\\'; buf[pos++] = 'n'; }
        case '\r' -> { buf[pos++] = '\\'; buf[pos++] = 'r'; }
        case '\0' -> { buf[pos++] = '\\'; buf[pos++] = '0'; }
        default -> {
          if (ch < 0x80) {
            buf[pos++] = (byte) ch;
          } else if (ch < 0x800) {
            buf[pos++] = (byte) (0xC0 | ch >> 6);
            buf[pos++] = (byte) (0x80 | ch & 0x3F);
          } else if (Character.isHighSurrogate(ch) && c + 1 < n
              && Character.isLowSurrogate(s.charAt(c + 1))) {
            int cp = Character.toCodePoint(ch, s.charAt(++c));
            buf[pos++] = (byte) (0xF0 | cp >> 18);
            buf[pos++] = (byte) (0x80 | cp >> 12 & 0x3F);
            buf[pos++] = (byte) (0x80 | cp >> 6 & 0x3F);
            buf[pos++] = (byte) (0x80 | cp & 0x3F);
          } else if (Character.isSurrogate(ch)) {
            buf[pos++] = '?'; // an unpaired surrogate, as String.getBytes replaces it
          } else {
            buf[pos++] = (byte) (0xE0 | ch >> 12);
            buf[pos++] = (byte) (0x80 | ch >> 6 & 0x3F);
            buf[pos++] = (byte) (0x80 | ch & 0x3F);
          }
        }
      }
    }
  }

  /** Loads the buffer by one statement; any warning or a short count is the load failing. */
  private void load() throws SQLException {
    if (inBuffer == 0) {
      return;
    }
    long sent = inBuffer;
    long first = loadStart;
    ByteArrayInputStream in = new ByteArrayInputStream(buf, 0, pos);
    pos = 0;
    inBuffer = 0;
    loadStart = sinceAccepted;
    if (buf.length > 4 * LOAD_AT) {
      buf = new byte[LOAD_AT + 1024]; // a huge value grew it: do not keep the memory
    }
    try (Statement st = connection.createStatement()) {
      st.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(in);
      long loaded = st.executeUpdate(sql);
      // LOCAL turns errors into warnings: read them with their level (a Note is what an INSERT
      // would only note too, say a DECIMAL rounded to its scale)
      int count = 0;
      int code = 0;
      String state = null;
      String message = null;
      try (ResultSet rs = st.executeQuery("SHOW WARNINGS")) {
        while (rs.next()) {
          if (!"Note".equalsIgnoreCase(rs.getString(1))) {
            if (count++ == 0) {
              code = rs.getInt(2);
              message = rs.getString(3);
            }
          }
        }
      }
      if (count == 0 && loaded == sent) {
        return;
      }
      if (message != null) {
        Matcher m = AT_ROW.matcher(message);
        if (m.find()) {
          failedAt = first + Long.parseLong(m.group(1)) - 1;
        }
        state = code == 1062 ? "23000" : "22000";
      }
      SQLException e = new SQLException("LOAD DATA loaded " + loaded + " of " + sent + " rows with "
          + count + " warning(s)" + (count == 0 ? "" : ", the first with vendor code " + code),
          state == null ? "22000" : state, code);
      if (message != null) {
        e.setNextException(new SQLWarning(message, state, code)); // the server's text, kept apart
      }
      throw e;
    }
  }

  @Override
  public boolean endChunk() throws SQLException {
    load();
    sinceAccepted = 0;
    loadStart = 0;
    return true; // each load reports its own rows' failures
  }

  @Override
  public void finish() throws SQLException {
    endChunk();
  }

  @Override
  public void abort() {
    pos = 0;
    inBuffer = 0;
  }

  @Override
  public OptionalLong failedRow(SQLException failure, long unaccepted) {
    return failedAt >= 0 ? OptionalLong.of(failedAt) : OptionalLong.empty();
  }
}
