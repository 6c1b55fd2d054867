package io.github.perfkit.jdbc.internal;

import io.github.perfkit.jdbc.ParameterBinder;
import io.github.perfkit.jdbc.WritePath;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * PostgreSQL's binary load path: {@code COPY table (columns) FROM STDIN (FORMAT binary)}, used when
 * every inserted column's type is one this class encodes (int2/4/8, float4/8, bool, text, varchar,
 * bytea, numeric, date, timestamp, timestamptz, uuid; read once per writer from the table's catalog
 * by {@link #columnTypes}) and the first row's values are of Java types it encodes for them;
 * otherwise the writer uses the text format ({@link PgCopySink}). Values are written in the server's
 * own binary representation (no formatting, no parsing, no escaping) into a 64 KiB buffer streamed to
 * the server whenever it fills and at every chunk boundary, so memory stays flat whatever the number
 * of rows. The server checks the binary values as the text ones (ranges, typmods such as
 * {@code varchar(n)} and {@code numeric(p, s)}), and names the failing row by its {@code line N}
 * as for text COPY. A value this class cannot encode for its column in a later row (say a
 * {@code String} for an {@code int8} column that does not parse) fails that row, with an
 * {@link IllegalArgumentException} naming the parameter and the Java type, never the value. Loaded
 * only when pgjdbc is on the class path.
 *
 * <p>Values: what the text path sends, encoded to the same result: timestamps given as
 * {@link Timestamp} are read in the JVM's time zone (as pgjdbc sends them), a
 * {@link LocalDateTime} for a {@code timestamptz} column in the session's time zone (read once per
 * writer), an {@link OffsetDateTime} for a {@code timestamp} column keeps its local part (as
 * PostgreSQL ignores the offset of a {@code timestamp} literal); fractions of a microsecond round
 * half up.
 *
 * @param <T> the row type
 */
public final class PgBinaryCopySink<T> extends BulkSink<T> {

  /** Column types with a binary encoding here (values of {@link #columnTypes}). */
  static final byte INT2 = 1;
  static final byte INT4 = 2;
  static final byte INT8 = 3;
  static final byte FLOAT4 = 4;
  static final byte FLOAT8 = 5;
  static final byte BOOL = 6;
  static final byte TEXT = 7;
  static final byte BYTEA = 8;
  static final byte NUMERIC = 9;
  static final byte DATE = 10;
  static final byte TIMESTAMP = 11;
  static final byte TIMESTAMPTZ = 12;
  static final byte UUID_TYPE = 13;

  private static final String[] TYPE_NAMES = {"", "int2", "int4", "int8", "float4", "float8",
      "bool", "text", "bytea", "numeric", "date", "timestamp", "timestamptz", "uuid"};

  /** pg_type OIDs of the built-in types, fixed since PostgreSQL 7. */
  private static final Map<Integer, Byte> BY_OID = Map.ofEntries(
      Map.entry(21, INT2), Map.entry(23, INT4), Map.entry(20, INT8), Map.entry(700, FLOAT4),
      Map.entry(701, FLOAT8), Map.entry(16, BOOL), Map.entry(25, TEXT), Map.entry(1043, TEXT),
      Map.entry(17, BYTEA), Map.entry(1700, NUMERIC), Map.entry(1082, DATE),
      Map.entry(1114, TIMESTAMP), Map.entry(1184, TIMESTAMPTZ), Map.entry(2950, UUID_TYPE));

  private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n',
      0, 0, 0, 0, 0, 0, 0, 0, 0};
  private static final int FLUSH_AT = 1 << 16;
  private static final long PG_EPOCH_DAYS = LocalDate.of(2000, 1, 1).toEpochDay();
  private static final long PG_EPOCH_SECONDS = PG_EPOCH_DAYS * 86_400L;
  private static final int NUMERIC_NEG = 0x4000;
  private static final int NUMERIC_NAN = 0xC000;
  private static final int NUMERIC_PINF = 0xD000;
  private static final int NUMERIC_NINF = 0xF000;

  private final Connection connection;
  private final String sql;
  private final byte[] types;
  private final ZoneId sessionZone; // null when the session's zone is not a Java zone
  private final byte[] buf = new byte[FLUSH_AT + 64];
  private int pos;
  private short[] groups = new short[16]; // numeric scratch: base-10000 digits
  private CopyIn copy;

  /**
   * Starts the binary COPY.
   *
   * @param connection a pgjdbc connection (or a pool's proxy of one), autocommit off
   * @param shape the insert it replaces
   * @param types from {@link #columnTypes}, in the insert's column order
   * @param sessionZone the session's time zone, or null
   * @param binder binds one row
   * @param row the row the binder sets
   * @throws SQLException if COPY cannot start
   */
  PgBinaryCopySink(Connection connection, InsertShape shape, byte[] types, ZoneId sessionZone,
      ParameterBinder<? super T> binder, CapturedRow row) throws SQLException {
    super(binder, row);
    String table = shape.schema() == null ? shape.table() : shape.schema() + "." + shape.table();
    this.connection = connection;
    this.sql = "COPY " + table + " (" + String.join(", ", shape.columns())
        + ") FROM STDIN (FORMAT binary)";
    this.types = types;
    this.sessionZone = sessionZone;
    restart();
  }

  /**
   * Reads the inserted columns' types from the table's catalog, once per writer.
   *
   * @param connection a pgjdbc connection
   * @param shape the insert
   * @return per inserted column, its binary type code; empty when a column's type has no binary
   *     encoding here or a column is not found (the text path then lets the server say what is
   *     wrong)
   * @throws SQLException if the catalog cannot be read
   */
  static Optional<byte[]> columnTypes(Connection connection, InsertShape shape)
      throws SQLException {
    String table = shape.schema() == null ? shape.table() : shape.schema() + "." + shape.table();
    Map<String, Integer> oids = new HashMap<>();
    try (PreparedStatement ps = connection.prepareStatement("SELECT a.attname, a.atttypid::int "
        + "FROM pg_catalog.pg_attribute a WHERE a.attrelid = pg_catalog.to_regclass(?::text) "
        + "AND a.attnum > 0 AND NOT a.attisdropped")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          oids.put(rs.getString(1), rs.getInt(2));
        }
      }
    }
    byte[] types = new byte[shape.columns().size()];
    for (int i = 0; i < types.length; i++) {
      // unquoted identifiers (the only ones InsertShape takes) fold to lower case
      Integer oid = oids.get(shape.columns().get(i).toLowerCase(Locale.ROOT));
      Byte type = oid == null ? null : BY_OID.get(oid);
      if (type == null) {
        return Optional.empty();
      }
      types[i] = type;
    }
    return Optional.of(types);
  }

  /**
   * The session's time zone, for {@link LocalDateTime} values of {@code timestamptz} columns.
   *
   * @param connection a pgjdbc connection
   * @return the zone, or null when PostgreSQL's name is not one Java knows
   * @throws SQLException if it cannot be read
   */
  static ZoneId sessionZone(Connection connection) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(
        "SELECT pg_catalog.current_setting('TimeZone')"); ResultSet rs = ps.executeQuery()) {
      rs.next();
      try {
        return ZoneId.of(rs.getString(1));
      } catch (DateTimeException e) {
        return null;
      }
    }
  }

  /**
   * Whether every value of a row can be encoded for its column.
   *
   * @param types the columns' types
   * @param sessionZone the session's zone, or null
   * @param row a bound row
   * @return true if this path can send the row
   */
  static boolean encodes(byte[] types, ZoneId sessionZone, CapturedRow row) {
    for (int i = 0; i < types.length; i++) {
      if (!encodes(types[i], sessionZone, row.kind(i), row.objectAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean integral(byte kind) {
    return kind == CapturedRow.LONG || kind == CapturedRow.INT || kind == CapturedRow.SHORT
        || kind == CapturedRow.BYTE;
  }

  private static boolean encodes(byte type, ZoneId zone, byte kind, Object v) {
    if (kind == CapturedRow.NULL) {
      return true;
    }
    boolean object = kind == CapturedRow.OBJECT;
    return switch (type) {
      case INT2, INT4, INT8 -> integral(kind) || object && (v instanceof Long
          || v instanceof Integer || v instanceof Short || v instanceof Byte
          || v instanceof BigInteger || v instanceof String);
      case FLOAT4, FLOAT8 -> kind != CapturedRow.BOOLEAN
          && (!object || v instanceof Number || v instanceof String);
      case NUMERIC -> kind != CapturedRow.BOOLEAN
          && (!object || v instanceof Number || v instanceof String);
      case BOOL -> kind == CapturedRow.BOOLEAN || integral(kind)
          || object && (v instanceof Boolean || v instanceof String);
      case TEXT -> !object || v instanceof CharSequence || v instanceof Number
          || v instanceof Boolean || v instanceof UUID;
      case BYTEA -> object && v instanceof byte[];
      case DATE -> object && (v instanceof LocalDate || v instanceof java.sql.Date);
      case TIMESTAMP -> object && (v instanceof LocalDateTime || v instanceof Timestamp
          || v instanceof OffsetDateTime || v instanceof Instant || v instanceof LocalDate
          || v instanceof java.sql.Date);
      case TIMESTAMPTZ -> object && (v instanceof Timestamp || v instanceof OffsetDateTime
          || v instanceof ZonedDateTime || v instanceof Instant
          || v instanceof LocalDateTime && zone != null);
      case UUID_TYPE -> object && (v instanceof UUID || v instanceof String);
      default -> false;
    };
  }

  @Override
  public WritePath path() {
    return WritePath.POSTGRES_BINARY_COPY;
  }

  @Override
  public void restart() throws SQLException {
    this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
    pos = HEADER.length;
  }

  @Override
  protected void write(CapturedRow row) throws SQLException {
    int n = row.size();
    ensure(2);
    putShort(n);
    for (int i = 0; i < n; i++) {
      byte kind = row.kind(i);
      if (kind == CapturedRow.NULL) {
        ensure(4);
        putInt(-1);
        continue;
      }
      switch (types[i]) {
        case INT8 -> {
          ensure(12);
          putInt(8);
          putLong(integer(row, i, Long.MIN_VALUE, Long.MAX_VALUE));
        }
        case INT4 -> {
          ensure(8);
          putInt(4);
          putInt((int) integer(row, i, Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
        case INT2 -> {
          ensure(6);
          putInt(2);
          putShort((int) integer(row, i, Short.MIN_VALUE, Short.MAX_VALUE));
        }
        case FLOAT8 -> {
          ensure(12);
          putInt(8);
          putLong(Double.doubleToRawLongBits(floating(row, i)));
        }
        case FLOAT4 -> {
          ensure(8);
          putInt(4);
          putInt(Float.floatToRawIntBits(kind == CapturedRow.FLOAT ? (float) row.doubleAt(i)
              : (float) floating(row, i)));
        }
        case BOOL -> {
          ensure(5);
          putInt(1);
          buf[pos++] = (byte) (bool(row, i) ? 1 : 0);
        }
        case TEXT -> text(row, i);
        case BYTEA -> {
          Object v = row.objectAt(i);
          if (!(v instanceof byte[] bytes)) {
            throw cannot(i, kind, v);
          }
          raw(bytes);
        }
        case NUMERIC -> numeric(row, i);
        case DATE -> {
          ensure(8);
          putInt(4);
          putInt(Math.toIntExact(date(row, i) - PG_EPOCH_DAYS));
        }
        case TIMESTAMP -> {
          ensure(12);
          putInt(8);
          putLong(micros(localTimestamp(row, i)));
        }
        case TIMESTAMPTZ -> {
          Instant at = instant(row, i);
          ensure(12);
          putInt(8);
          putLong(micros(at.getEpochSecond(), at.getNano()));
        }
        case UUID_TYPE -> {
          Object v = row.objectAt(i);
          UUID u = v instanceof UUID id ? id : v instanceof String s ? parseUuid(i, s) : null;
          if (u == null) {
            throw cannot(i, kind, v);
          }
          ensure(20);
          putInt(16);
          putLong(u.getMostSignificantBits());
          putLong(u.getLeastSignificantBits());
        }
        default -> throw new IllegalStateException("column type " + types[i]);
      }
    }
    if (pos >= FLUSH_AT) {
      flush();
    }
  }

  // ---- values --------------------------------------------------------------------------------

  private long integer(CapturedRow row, int i, long min, long max) {
    byte kind = row.kind(i);
    long v;
    if (integral(kind)) {
      v = row.longAt(i);
    } else {
      Object o = row.objectAt(i);
      if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte) {
        v = ((Number) o).longValue();
      } else if (o instanceof BigInteger b && b.bitLength() < 64) {
        v = b.longValue();
      } else if (o instanceof String s) {
        try {
          v = Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("parameter " + (i + 1) + " (a String) is not an "
              + "integer for column type " + TYPE_NAMES[types[i]]);
        }
      } else {
        throw cannot(i, kind, o);
      }
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException("parameter " + (i + 1) + " is out of range for column "
          + "type " + TYPE_NAMES[types[i]]);
    }
    return v;
  }

  private double floating(CapturedRow row, int i) {
    byte kind = row.kind(i);
    if (kind == CapturedRow.DOUBLE || kind == CapturedRow.FLOAT) {
      return row.doubleAt(i);
    }
    if (integral(kind)) {
      return row.longAt(i);
    }
    Object o = row.objectAt(i);
    if (o instanceof Number num && kind == CapturedRow.OBJECT) {
      return num instanceof Float f ? f.floatValue() : num.doubleValue();
    }
    if (o instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("parameter " + (i + 1) + " (a String) is not a number "
            + "for column type " + TYPE_NAMES[types[i]]);
      }
    }
    throw cannot(i, kind, o);
  }

  private boolean bool(CapturedRow row, int i) {
    byte kind = row.kind(i);
    if (kind == CapturedRow.BOOLEAN) {
      return row.longAt(i) != 0;
    }
    if (integral(kind) && (row.longAt(i) == 0 || row.longAt(i) == 1)) {
      return row.longAt(i) == 1; // PostgreSQL reads '1' and '0' as booleans, no other number
    }
    Object o = row.objectAt(i);
    if (kind == CapturedRow.OBJECT && o instanceof Boolean b) {
      return b;
    }
    if (kind == CapturedRow.OBJECT && o instanceof String s) {
      switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "t", "true", "y", "yes", "on", "1" -> {
          return true;
        }
        case "f", "false", "n", "no", "off", "0" -> {
          return false;
        }
        default -> throw new IllegalArgumentException("parameter " + (i + 1)
            + " (a String) is not a boolean");
      }
    }
    throw cannot(i, kind, kind == CapturedRow.OBJECT ? o : null);
  }

  private void text(CapturedRow row, int i) throws SQLException {
    byte kind = row.kind(i);
    switch (kind) {
      case CapturedRow.LONG, CapturedRow.INT, CapturedRow.SHORT, CapturedRow.BYTE ->
          ascii(Long.toString(row.longAt(i)));
      case CapturedRow.BOOLEAN -> ascii(row.longAt(i) != 0 ? "t" : "f");
      case CapturedRow.DOUBLE -> ascii(Double.toString(row.doubleAt(i)));
      case CapturedRow.FLOAT -> ascii(Float.toString((float) row.doubleAt(i)));
      default -> {
        Object v = row.objectAt(i);
        if (v instanceof String s) {
          string(s);
        } else if (v instanceof CharSequence cs) {
          string(cs.toString());
        } else if (v instanceof Boolean b) {
          ascii(b ? "t" : "f");
        } else if (v instanceof BigDecimal d) {
          ascii(d.toPlainString());
        } else if (v instanceof Number || v instanceof UUID) {
          ascii(v.toString());
        } else {
          throw cannot(i, kind, v);
        }
      }
    }
  }

  private void numeric(CapturedRow row, int i) throws SQLException {
    byte kind = row.kind(i);
    BigDecimal d;
    if (integral(kind)) {
      d = BigDecimal.valueOf(row.longAt(i));
    } else if (kind == CapturedRow.DOUBLE || kind == CapturedRow.FLOAT) {
      double x = row.doubleAt(i);
      if (specialNumeric(x)) {
        return;
      }
      d = kind == CapturedRow.FLOAT ? new BigDecimal(Float.toString((float) x))
          : BigDecimal.valueOf(x);
    } else {
      Object o = row.objectAt(i);
      if (o instanceof BigDecimal b) {
        d = b;
      } else if (o instanceof Long || o instanceof Integer || o instanceof Short
          || o instanceof Byte) {
        d = BigDecimal.valueOf(((Number) o).longValue());
      } else if (o instanceof BigInteger b) {
        d = new BigDecimal(b);
      } else if (o instanceof Double || o instanceof Float) {
        double x = ((Number) o).doubleValue();
        if (specialNumeric(x)) {
          return;
        }
        d = o instanceof Float f ? new BigDecimal(f.toString()) : BigDecimal.valueOf(x);
      } else if (o instanceof String s) {
        String t = s.strip();
        if (t.equalsIgnoreCase("NaN")) {
          specialNumeric(Double.NaN);
          return;
        }
        try {
          d = new BigDecimal(t);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("parameter " + (i + 1) + " (a String) is not a "
              + "number for column type numeric");
        }
      } else if (o instanceof Number) {
        d = new BigDecimal(o.toString());
      } else {
        throw cannot(i, kind, o);
      }
    }
    numeric(d);
  }

  private boolean specialNumeric(double x) throws SQLException {
    int sign;
    if (Double.isNaN(x)) {
      sign = NUMERIC_NAN;
    } else if (x == Double.POSITIVE_INFINITY) {
      sign = NUMERIC_PINF;
    } else if (x == Double.NEGATIVE_INFINITY) {
      sign = NUMERIC_NINF;
    } else {
      return false;
    }
    ensure(12);
    putInt(8);
    putShort(0);
    putShort(0);
    putShort(sign);
    putShort(0);
    return true;
  }

  /**
   * PostgreSQL's numeric wire form: digit count, weight (of the first digit, in powers of
   * 10,000), sign, display scale, then base-10,000 digits, no leading or trailing zero digit.
   */
  private void numeric(BigDecimal d) throws SQLException {
    BigInteger unscaled = d.unscaledValue().abs();
    int scale = d.scale();
    if (scale < 0) {
      unscaled = unscaled.multiply(BigInteger.TEN.pow(-scale));
      scale = 0;
    }
    int pad = (4 - scale % 4) % 4; // the fraction must fill whole base-10,000 digits
    int fracGroups = (scale + pad) / 4;
    int count;
    if (unscaled.bitLength() <= 50) { // fits a long even after padding: no BigInteger division
      long u = unscaled.longValue();
      for (int p = 0; p < pad; p++) {
        u *= 10;
      }
      count = 0;
      do {
        grow(count + 1);
        groups[count++] = (short) (u % 10_000);
        u /= 10_000;
      } while (u != 0);
    } else {
      String digits = (pad == 0 ? unscaled : unscaled.multiply(BigInteger.TEN.pow(pad)))
          .toString();
      int len = digits.length();
      count = (len + 3) / 4;
      grow(count);
      for (int g = 0; g < count; g++) { // least significant first
        int end = len - 4 * g;
        int start = Math.max(0, end - 4);
        int value = 0;
        for (int c = start; c < end; c++) {
          value = value * 10 + (digits.charAt(c) - '0');
        }
        groups[g] = (short) value;
      }
    }
    // groups[0] is the least significant; the most significant is groups[count - 1]
    int weight = count - fracGroups - 1;
    int high = count - 1;
    while (high >= 0 && groups[high] == 0) {
      high--;
      weight--;
    }
    int low = 0;
    while (low <= high && groups[low] == 0) {
      low++;
    }
    int ndigits = high - low + 1;
    int sign = d.signum() < 0 ? NUMERIC_NEG : 0;
    if (ndigits <= 0) {
      ndigits = 0;
      weight = 0;
      sign = 0;
    }
    ensure(12 + 2 * ndigits);
    putInt(8 + 2 * ndigits);
    putShort(ndigits);
    putShort(weight);
    putShort(sign);
    putShort(scale);
    for (int g = high; g >= low; g--) {
      putShort(groups[g]);
    }
  }

  private void grow(int n) {
    if (groups.length < n) {
      groups = java.util.Arrays.copyOf(groups, Math.max(n, groups.length * 2));
    }
  }

  private long date(CapturedRow row, int i) {
    Object v = row.objectAt(i);
    if (v instanceof LocalDate d) {
      return d.toEpochDay();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toEpochDay();
    }
    throw cannot(i, row.kind(i), v);
  }

  private LocalDateTime localTimestamp(CapturedRow row, int i) {
    Object v = row.objectAt(i);
    if (v instanceof LocalDateTime t) {
      return t;
    }
    if (v instanceof Timestamp ts) {
      return ts.toLocalDateTime();
    }
    if (v instanceof OffsetDateTime t) {
      return t.toLocalDateTime();
    }
    if (v instanceof Instant t) {
      return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }
    if (v instanceof LocalDate d) {
      return d.atStartOfDay();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().atStartOfDay();
    }
    throw cannot(i, row.kind(i), v);
  }

  private Instant instant(CapturedRow row, int i) {
    Object v = row.objectAt(i);
    if (v instanceof Timestamp ts) { // as the text path and pgjdbc: its local time in the JVM's zone
      return ts.toLocalDateTime().atZone(ZoneId.systemDefault()).toInstant();
    }
    if (v instanceof OffsetDateTime t) {
      return t.toInstant();
    }
    if (v instanceof ZonedDateTime t) {
      return t.toInstant();
    }
    if (v instanceof Instant t) {
      return t;
    }
    if (v instanceof LocalDateTime t && sessionZone != null) {
      return t.atZone(sessionZone).toInstant();
    }
    throw cannot(i, row.kind(i), v);
  }

  private static long micros(LocalDateTime t) {
    return micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano());
  }

  private static long micros(long epochSecond, int nano) {
    return Math.addExact(Math.multiplyExact(epochSecond - PG_EPOCH_SECONDS, 1_000_000L),
        (nano + 500) / 1_000);
  }

  private static UUID parseUuid(int i, String s) {
    try {
      return UUID.fromString(s.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("parameter " + (i + 1) + " (a String) is not a uuid");
    }
  }

  private IllegalArgumentException cannot(int i, byte kind, Object v) {
    String what = kind == CapturedRow.OBJECT && v != null ? v.getClass().getName()
        : switch (kind) {
          case CapturedRow.BOOLEAN -> "boolean";
          case CapturedRow.DOUBLE -> "double";
          case CapturedRow.FLOAT -> "float";
          default -> "integer";
        };
    return new IllegalArgumentException("parameter " + (i + 1) + " (a " + what + ") has no binary "
        + "COPY encoding for column type " + TYPE_NAMES[types[i]]);
  }

  // ---- the buffer ----------------------------------------------------------------------------

  private void ensure(int n) throws SQLException {
    if (pos + n > buf.length) {
      flush();
    }
  }

  private void putShort(int v) {
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void putInt(int v) {
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void putLong(long v) {
    putInt((int) (v >>> 32));
    putInt((int) v);
  }

  private void ascii(String s) throws SQLException {
    int n = s.length();
    ensure(4 + n);
    putInt(n);
    for (int c = 0; c < n; c++) {
      buf[pos++] = (byte) s.charAt(c);
    }
  }

  private void string(String s) throws SQLException {
    int n = s.length();
    if (4 + 3 * n <= buf.length - pos || 4 + 3 * n <= buf.length && flushed()) {
      int lengthAt = pos;
      pos += 4;
      int start = pos;
      for (int c = 0; c < n; c++) {
        char ch = s.charAt(c);
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
      int len = pos - start;
      buf[lengthAt] = (byte) (len >>> 24);
      buf[lengthAt + 1] = (byte) (len >>> 16);
      buf[lengthAt + 2] = (byte) (len >>> 8);
      buf[lengthAt + 3] = (byte) len;
    } else {
      raw(s.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Flushes; true, so that it can sit in a condition. */
  private boolean flushed() throws SQLException {
    flush();
    return true;
  }

  private void raw(byte[] bytes) throws SQLException {
    ensure(4);
    putInt(bytes.length);
    if (bytes.length <= buf.length - pos) {
      System.arraycopy(bytes, 0, buf, pos, bytes.length);
      pos += bytes.length;
    } else { // a large value goes straight to the server, never copied into a bigger buffer
      flush();
      copy.writeToCopy(bytes, 0, bytes.length);
    }
  }

  private void flush() throws SQLException {
    if (pos > 0) {
      copy.writeToCopy(buf, 0, pos);
      pos = 0;
    }
  }

  @Override
  public boolean endChunk() throws SQLException {
    flush();
    return false; // the server reports a bad row when the COPY ends
  }

  @Override
  public void finish() throws SQLException {
    ensure(2);
    putShort(-1);
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
  public OptionalLong failedRow(SQLException failure, long unaccepted) {
    return PgCopySink.lineOf(failure);
  }
}
