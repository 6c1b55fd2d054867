/** perfkit JDBC: batched writes, streaming reads, plans, timing. See {@link io.github.perfkit.jdbc}. */
module io.github.perfkit.jdbc {
  requires transitive io.github.perfkit.core;
  requires transitive java.sql;
  // the drivers are optional: their fast paths are used only when the application has them
  requires static org.postgresql.jdbc;
  requires static duckdb.jdbc;
  requires static org.mariadb.jdbc;

  exports io.github.perfkit.jdbc;
}
