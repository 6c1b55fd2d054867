package io.github.perfkit.jdbc;

import io.github.perfkit.jdbc.internal.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Fetches the rows for many keys with a few chunked {@code IN (...)} queries instead of one query per
 * key (the usual cure for N+1). Table and column names must be plain identifiers
 * (a letter or underscore, then letters, digits or underscores, optionally {@code schema.table};
 * anything else is refused with an {@link IllegalArgumentException}), keys are bound as parameters.
 *
 * <pre>{@code
 * List<User> users = KeyFetcher.fetch(ds, "users", "id", List.of("id", "name"), ids, 500,
 *     rs -> new User(rs.getLong(1), rs.getString(2)));
 * }</pre>
 *
 * <p>Stateless and thread-safe. Cost: one query per {@code chunkSize} keys, on one connection.
 */
public final class KeyFetcher {

  private KeyFetcher() {}

  /**
   * Fetches the rows whose {@code keyColumn} is in {@code keys}.
   *
   * @param dataSource where the connection comes from
   * @param table a plain identifier
   * @param keyColumn a plain identifier
   * @param columns the columns to select, plain identifiers, in the order the mapper reads them
   * @param keys the keys (duplicates are queried once per occurrence)
   * @param chunkSize keys per query, {@code > 0}
   * @param mapper maps one row
   * @param <K> the key type
   * @param <T> the row type
   * @return the rows in database order per chunk
   * @throws UncheckedSqlException when a query fails
   */
  public static <K, T> List<T> fetch(DataSource dataSource, String table, String keyColumn,
      List<String> columns, Collection<? extends K> keys, int chunkSize, RowMapper<? extends T> mapper) {
    Objects.requireNonNull(dataSource, "dataSource");
    SqlIdentifiers.requirePlain("table", table);
    SqlIdentifiers.requirePlain("keyColumn", keyColumn);
    Objects.requireNonNull(columns, "columns");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(mapper, "mapper");
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunkSize must be > 0 but was " + chunkSize);
    }
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("columns must not be empty");
    }
    StringBuilder select = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      select.append(i == 0 ? "" : ", ").append(SqlIdentifiers.requirePlain("columns", columns.get(i)));
    }
    select.append(" FROM ").append(table).append(" WHERE ").append(keyColumn).append(" IN (");
    List<T> out = new ArrayList<>();
    List<K> chunk = new ArrayList<>(Math.min(chunkSize, keys.size()));
    try (Connection c = dataSource.getConnection()) {
      for (K k : keys) {
        chunk.add(k);
        if (chunk.size() == chunkSize) {
          run(c, select, chunk, mapper, out);
          chunk.clear();
        }
      }
      if (!chunk.isEmpty()) {
        run(c, select, chunk, mapper, out);
      }
    } catch (SQLException e) {
      throw new UncheckedSqlException("chunked IN fetch failed", e);
    }
    return out;
  }

  private static <K, T> void run(Connection c, StringBuilder select, List<K> chunk,
      RowMapper<? extends T> mapper, List<T> out) throws SQLException {
    StringBuilder sql = new StringBuilder(select);
    for (int i = 0; i < chunk.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
    }
    sql.append(')');
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < chunk.size(); i++) {
        ps.setObject(i + 1, chunk.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
      }
    }
  }
}
