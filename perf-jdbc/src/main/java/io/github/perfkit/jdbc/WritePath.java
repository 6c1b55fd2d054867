package io.github.perfkit.jdbc;

/**
 * How a {@link BatchWriter} sent its rows. It picks the fastest correct path per database; see
 * {@link BatchWriter} for when each applies.
 */
public enum WritePath {
  /** Chunked {@code PreparedStatement.addBatch}/{@code executeBatch}: every database, every DML. */
  JDBC_BATCH,
  /** PostgreSQL {@code COPY ... FROM STDIN} through pgjdbc's {@code CopyManager}, streamed. */
  POSTGRES_COPY,
  /** DuckDB's Appender, writing straight into the table's storage. */
  DUCKDB_APPENDER
}
