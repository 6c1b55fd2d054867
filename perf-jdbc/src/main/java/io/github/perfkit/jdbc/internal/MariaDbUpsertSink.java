package io.github.perfkit.jdbc.internal;

import io.github.perfkit.jdbc.ParameterBinder;
import io.github.perfkit.jdbc.WritePath;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * MariaDB's upsert in bulk: Connector/J sends {@code executeBatch} of
 * {@code INSERT ... VALUES (?, ...) ON DUPLICATE KEY UPDATE ...} as one statement per row (its bulk
 * protocol takes plain inserts only), so this sink rewrites the rows into multi-row statements
 * {@code INSERT INTO t (cols) VALUES (?, ...), (?, ...), ... ON DUPLICATE KEY UPDATE <the clause as
 * written>} of up to {@value #ROWS_PER_STATEMENT} rows, binding each captured row's values in input
 * order. MariaDB applies the rows of one statement in order, so a key twice in one statement (or
 * chunk) ends as {@code executeBatch} leaves it; {@code VALUES(col)} in the clause names each row's
 * own value, as in the single-row statement.
 *
 * <p>Why this and not a staging table: measured on the 2-core VM (MariaDB 10.11, Connector/J
 * 3.5.11), 100,000 rows half new half conflicting into a keyed InnoDB table of 50,000, one
 * transaction, median of 3: {@code executeBatch} of 1,000 3,880 ms (100,003 statements); multi-row
 * statements of 100 / 500 / 1,000 / 2,000 / 5,000 rows 806 / 724 / 794 / 816 / 782 ms; a temporary
 * table without keys filled by {@code LOAD DATA LOCAL} and one
 * {@code INSERT ... SELECT ... ORDER BY seq ON DUPLICATE KEY UPDATE} per chunk 934 ms. The
 * multi-row statement is the fastest, needs no {@code allowLocalInfile}, and leaves the user's
 * clause unchanged (in {@code INSERT ... SELECT} an unqualified column of the clause can become
 * ambiguous with the stage's). 1,000 rows per statement sit on the flat part of that curve.
 *
 * <p>Same guarantees as every path: everything runs in the write's transaction (a failure rolls
 * back every row, {@code commitPerChunk} keeps earlier chunks); a failure blames the chunk, never a
 * row, since MariaDB does not say which row of a multi-row statement failed. The path is chosen
 * only where a multi-row statement fails exactly where the single-row statements would: a strict
 * {@code sql_mode} ({@code STRICT_TRANS_TABLES} or {@code STRICT_ALL_TABLES}: without it MariaDB
 * stores the column default with a warning for a NULL in a NOT NULL column of a multi-row insert,
 * where a single-row insert fails) and an InnoDB table (a non-transactional table keeps the rows
 * before a failure). Both, and the server's {@code max_allowed_packet}, are read once per writer.
 * Auto-increment values a conflicting row reserves may leave gaps that differ from
 * {@code executeBatch}'s.
 *
 * <p>Statement size: a statement also ends before it could pass {@code max_allowed_packet} (less
 * the fixed text) or 1 MiB, whichever is smaller, counting every value at its largest encoded size
 * (three bytes per character of a string, two per byte of a {@code byte[]}), so a large text value
 * splits the chunk into more statements and a value too large even alone goes by itself, where
 * the server rejects it as it would reject the single-row statement; no more than 65,535
 * placeholders per statement (the server's limit for prepared statements). The prepared
 * statement is cached for two row counts: the full one and the last shorter one (a chunk's
 * remainder).
 *
 * <p>Values are rebound with the setter of their captured kind ({@code setLong}, ...,
 * {@code setObject} for objects, {@code setNull} for NULL), which is what Connector/J does for
 * the typed setters too; the hints {@link CapturedRow} drops (a {@code Calendar}, a
 * {@code setObject} target type) are dropped here as on every bulk path.
 *
 * <p>Cost: one statement per 1,000 rows (fewer rows when values are large), client memory one
 * statement's rows. Not thread-safe: one per write. Loaded only when Connector/J is on the class
 * path.
 *
 * @param <T> the row type
 */
public final class MariaDbUpsertSink<T> extends BulkSink<T> {

  /** Rows per statement at most: the flat part of the measured curve (see the class comment). */
  static final int ROWS_PER_STATEMENT = 1_000;
  /** Placeholders per statement at most: MariaDB's limit for server-side prepared statements. */
  static final int MAX_PLACEHOLDERS = 65_535;
  /** Largest statement aimed at, in bytes, whatever {@code max_allowed_packet} allows. */
  static final long STATEMENT_BYTES = 1L << 20;

  private final Connection connection;
  private final int columns;
  private final String head; // INSERT INTO t (cols) VALUES
  private final String row; // (?, ?, ...)
  private final String clause; // ON DUPLICATE KEY UPDATE ..., as written
  private final int groupRows; // rows per full statement
  private final long limit; // bytes of values and row text per statement at most
  private final long rowText; // bytes of one row's "(?, ...), " text
  // the rows of the statement being filled, captured kinds and values, row-major
  private final byte[] kinds;
  private final long[] longs;
  private final double[] doubles;
  private final Object[] objects;
  private int rows; // rows buffered
  private long bytes; // their bound
  private PreparedStatement full; // for groupRows rows
  private PreparedStatement other; // for otherRows rows
  private int otherRows;

  /**
   * The multi-row upsert for one writer's statement.
   *
   * @param upsert the statement
   * @param maxAllowedPacket the server's {@code max_allowed_packet}, read when the path was chosen
   */
  record Path(DuplicateKeyShape upsert, long maxAllowedPacket) implements BulkPath {
    @Override
    public WritePath path() {
      return WritePath.MARIADB_MULTI_ROW_UPSERT;
    }

    @Override
    public InsertShape shape() {
      return upsert.insert();
    }

    @Override
    public boolean accepts(Object value) {
      return MariaDbUpsertSink.accepts(value);
    }

    @Override
    public <T> ChunkSink<T> open(Connection connection, ParameterBinder<? super T> binder,
        CapturedRow row) {
      return new MariaDbUpsertSink<>(connection, this, binder, row);
    }
  }

  /**
   * Decides whether a writer's upsert takes this path, reading the server's
   * {@code max_allowed_packet}, the session's {@code sql_mode} and the table's engine once.
   *
   * @param connection the write's connection
   * @param upsert the statement
   * @return the path, or empty when the connection is not Connector/J's, the {@code sql_mode} is
   *     not strict, the table is not InnoDB (or not found: a view, another schema's case) or the
   *     settings cannot be read; then {@code executeBatch} runs
   */
  static Optional<BulkPath> path(Connection connection, DuplicateKeyShape upsert) {
    InsertShape insert = upsert.insert();
    try {
      if (!connection.isWrapperFor(org.mariadb.jdbc.Connection.class)) {
        return Optional.empty();
      }
      try (PreparedStatement ps = connection.prepareStatement("SELECT @@max_allowed_packet,"
          + " @@sql_mode, (SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA ="
          + " COALESCE(?, DATABASE()) AND TABLE_NAME = ?)")) {
        ps.setString(1, insert.schema());
        ps.setString(2, insert.table());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          long packet = rs.getLong(1);
          String mode = rs.getString(2);
          String engine = rs.getString(3);
          mode = mode == null ? "" : mode.toUpperCase(Locale.ROOT);
          boolean strict = mode.contains("STRICT_TRANS_TABLES")
              || mode.contains("STRICT_ALL_TABLES");
          if (!strict || !"InnoDB".equalsIgnoreCase(engine) || packet <= 0) {
            return Optional.empty();
          }
          return Optional.of(new Path(upsert, packet));
        }
      }
    } catch (SQLException | RuntimeException e) {
      return Optional.empty(); // executeBatch will report what is wrong with the connection, if anything
    }
  }

  /**
   * @param v a value a binder set
   * @return whether this path sends it as {@code executeBatch} would ({@code setObject} of it
   *     behaves as the typed setter)
   */
  static boolean accepts(Object v) {
    return v == null || v instanceof String || v instanceof byte[] || v instanceof Long
        || v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof Double
        || v instanceof Float || v instanceof BigDecimal || v instanceof BigInteger
        || v instanceof Boolean || v instanceof Timestamp || v instanceof java.sql.Date
        || v instanceof java.sql.Time || v instanceof LocalDate || v instanceof LocalDateTime
        || v instanceof LocalTime || v instanceof OffsetDateTime || v instanceof ZonedDateTime
        || v instanceof Instant || v instanceof UUID;
  }

  MariaDbUpsertSink(Connection connection, Path path, ParameterBinder<? super T> binder,
      CapturedRow captured) {
    super(binder, captured);
    InsertShape insert = path.upsert().insert();
    String table = insert.schema() == null ? insert.table()
        : insert.schema() + "." + insert.table();
    this.connection = connection;
    this.columns = insert.columns().size();
    this.head = "INSERT INTO " + table + " (" + String.join(", ", insert.columns()) + ") VALUES ";
    this.row = "(" + "?, ".repeat(columns - 1) + "?)";
    this.clause = path.upsert().clause();
    this.groupRows = Math.max(1, Math.min(ROWS_PER_STATEMENT, MAX_PLACEHOLDERS / columns));
    // the fixed text at 3 bytes per character (the clause may hold any text), the packet header
    long fixed = 3L * (head.length() + clause.length()) + 16;
    this.limit = Math.max(1, Math.min(STATEMENT_BYTES, path.maxAllowedPacket() - fixed - 1024));
    this.rowText = row.length() + 2;
    int slots = groupRows * columns;
    this.kinds = new byte[slots];
    this.longs = new long[slots];
    this.doubles = new double[slots];
    this.objects = new Object[slots];
  }

  @Override
  public WritePath path() {
    return WritePath.MARIADB_MULTI_ROW_UPSERT;
  }

  @Override
  public void restart() {
    // every statement stands alone: nothing to start
  }

  @Override
  protected void write(CapturedRow captured) throws SQLException {
    long size = rowText;
    for (int i = 0; i < columns; i++) {
      size += bound(captured, i);
    }
    if (rows > 0 && bytes + size > limit) {
      flush(); // this row would push the statement past the limit: send what is buffered first
    }
    int at = rows * columns;
    for (int i = 0; i < columns; i++, at++) {
      byte kind = captured.kind(i);
      kinds[at] = kind;
      switch (kind) {
        case CapturedRow.DOUBLE, CapturedRow.FLOAT -> doubles[at] = captured.doubleAt(i);
        case CapturedRow.OBJECT -> objects[at] = captured.objectAt(i);
        case CapturedRow.NULL -> { }
        default -> longs[at] = captured.longAt(i);
      }
    }
    rows++;
    bytes += size;
    if (rows == groupRows) {
      flush();
    }
  }

  /**
   * The most bytes a value can take in the statement Connector/J sends (text protocol: a string's
   * UTF-8 with every quote or backslash escaped, a {@code byte[]} escaped byte by byte); a value
   * of a type it cannot bound counts as the whole limit, so that it goes alone.
   */
  private long bound(CapturedRow captured, int i) {
    return switch (captured.kind(i)) {
      case CapturedRow.NULL -> 4;
      case CapturedRow.DOUBLE, CapturedRow.FLOAT -> 32;
      case CapturedRow.OBJECT -> objectBound(captured.objectAt(i));
      default -> 24;
    };
  }

  private long objectBound(Object v) {
    if (v instanceof String s) {
      return 3L * s.length() + 16;
    }
    if (v instanceof byte[] b) {
      return 2L * b.length + 16;
    }
    if (v instanceof BigDecimal d) {
      return d.precision() + (long) Math.abs(d.scale()) + 16;
    }
    if (v instanceof BigInteger n) {
      return n.bitLength() / 3 + 16L;
    }
    if (v instanceof Number || v instanceof Boolean || v instanceof java.util.Date
        || v instanceof java.time.temporal.Temporal || v instanceof UUID) {
      return 64;
    }
    return limit;
  }

  /** Sends the buffered rows as one statement. */
  private void flush() throws SQLException {
    if (rows == 0) {
      return;
    }
    int n = rows;
    PreparedStatement ps = statement(n);
    int slots = n * columns;
    for (int at = 0; at < slots; at++) {
      int p = at + 1;
      switch (kinds[at]) {
        case CapturedRow.NULL -> ps.setNull(p, Types.NULL);
        case CapturedRow.LONG -> ps.setLong(p, longs[at]);
        case CapturedRow.INT -> ps.setInt(p, (int) longs[at]);
        case CapturedRow.SHORT -> ps.setShort(p, (short) longs[at]);
        case CapturedRow.BYTE -> ps.setByte(p, (byte) longs[at]);
        case CapturedRow.BOOLEAN -> ps.setBoolean(p, longs[at] != 0);
        case CapturedRow.DOUBLE -> ps.setDouble(p, doubles[at]);
        case CapturedRow.FLOAT -> ps.setFloat(p, (float) doubles[at]);
        default -> ps.setObject(p, objects[at]);
      }
    }
    rows = 0;
    bytes = 0;
    Arrays.fill(objects, 0, slots, null); // let large values go before the next rows come
    ps.executeUpdate();
  }

  /** The statement for {@code n} rows: cached for the full count and for the last other count. */
  private PreparedStatement statement(int n) throws SQLException {
    if (n == groupRows) {
      if (full == null) {
        full = connection.prepareStatement(sql(n));
      }
      return full;
    }
    if (other == null || otherRows != n) {
      if (other != null) {
        PreparedStatement old = other;
        other = null;
        old.close();
      }
      other = connection.prepareStatement(sql(n));
      otherRows = n;
    }
    return other;
  }

  private String sql(int n) {
    StringBuilder sb = new StringBuilder(head.length() + n * (row.length() + 2) + clause.length()
        + 1);
    sb.append(head);
    for (int r = 0; r < n; r++) {
      if (r > 0) {
        sb.append(", ");
      }
      sb.append(row);
    }
    return sb.append(' ').append(clause).toString();
  }

  @Override
  public boolean endChunk() throws SQLException {
    flush();
    return true; // every statement of the chunk was accepted
  }

  @Override
  public void finish() throws SQLException {
    endChunk();
  }

  @Override
  public void abort() {
    Arrays.fill(objects, 0, rows * columns, null);
    rows = 0;
    bytes = 0;
  }

  /** Never a row: MariaDB does not say which row of a multi-row statement failed. */
  @Override
  public OptionalLong failedRow(SQLException failure, long unaccepted) {
    return OptionalLong.empty();
  }

  @Override
  public void close() throws SQLException {
    SQLException first = null;
    for (PreparedStatement ps : new PreparedStatement[] {full, other}) {
      if (ps != null) {
        try {
          ps.close();
        } catch (SQLException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
    }
    full = null;
    other = null;
    if (first != null) {
      throw first;
    }
  }
}
