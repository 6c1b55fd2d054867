package io.github.perfkit.jdbc;

/**
 * How a {@link BatchWriter} sent its rows. It picks the fastest correct path per database; see
 * {@link BatchWriter} for when each applies.
 */
public enum WritePath {
  /** Chunked {@code PreparedStatement.addBatch}/{@code executeBatch}: every database, every DML. */
  JDBC_BATCH,
  /**
   * PostgreSQL {@code COPY ... FROM STDIN} in text format through pgjdbc's {@code CopyManager},
   * streamed: when a column's type (or a first row's value) has no binary encoding in perfkit, or
   * binary COPY is turned off ({@link BatchWriter.Builder#binaryCopy(boolean)}).
   */
  POSTGRES_COPY,
  /**
   * PostgreSQL {@code COPY ... FROM STDIN (FORMAT binary)} through pgjdbc's {@code CopyManager},
   * streamed: values in the server's binary form, nothing formatted or parsed. Chosen when every
   * inserted column is int2/4/8, float4/8, bool, text, varchar, bytea, numeric, date, timestamp,
   * timestamptz or uuid (read from the table's catalog once per writer) and the first row's values
   * encode for their columns.
   */
  POSTGRES_BINARY_COPY,
  /**
   * A PostgreSQL upsert ({@code INSERT ... VALUES (?, ...) ON CONFLICT ... DO UPDATE/NOTHING}):
   * each chunk COPYed (binary or text, as for plain inserts) into a temporary table, then merged by
   * one {@code INSERT ... SELECT ... ON CONFLICT} with the statement's own clause.
   */
  POSTGRES_COPY_UPSERT,
  /**
   * MariaDB {@code LOAD DATA LOCAL INFILE} fed from memory through Connector/J, when the connection
   * allows it ({@code allowLocalInfile=true}, server {@code local_infile} on): rows as escaped
   * tab-separated text, one load per MiB and per chunk; any warning fails the write (LOCAL would
   * otherwise skip duplicate keys and truncate bad values).
   */
  MARIADB_LOAD_DATA,
  /**
   * A MariaDB upsert ({@code INSERT INTO t (cols) VALUES (?, ...) ON DUPLICATE KEY UPDATE ...},
   * which Connector/J's {@code executeBatch} sends one statement per row) rewritten into
   * multi-row statements {@code INSERT INTO t (cols) VALUES (?, ...), (?, ...), ... ON DUPLICATE
   * KEY UPDATE <the statement's own clause>} of up to 1,000 rows, each kept under the server's
   * {@code max_allowed_packet}; MariaDB applies the rows in order, so the result equals
   * {@code executeBatch}'s. Chosen on a strict {@code sql_mode} for an InnoDB table; a failure
   * blames the chunk, since MariaDB does not say which row of a multi-row statement failed.
   */
  MARIADB_MULTI_ROW_UPSERT,
  /** DuckDB's Appender, writing straight into the table's storage. */
  DUCKDB_APPENDER
}
