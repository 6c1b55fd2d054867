/**
 * perf-jdbc: batched writes, streaming reads, query plans and query timing over any
 * {@link javax.sql.DataSource}.
 *
 * <p><b>Where to start.</b> One door per job, each taking the application's own DataSource:
 * <ul>
 *   <li>{@link io.github.perfkit.jdbc.BatchWriter}: writing many rows (chunked batches in one
 *       transaction, PostgreSQL COPY or the DuckDB appender where they apply);</li>
 *   <li>{@link io.github.perfkit.jdbc.StreamingQuery}: reading many rows in constant memory;</li>
 *   <li>{@link io.github.perfkit.jdbc.TimedDataSource}: timing every statement by its SQL shape,
 *       for metrics and for N+1 guards in tests; start here to find which queries cost the most;</li>
 *   <li>{@link io.github.perfkit.jdbc.Explain}: the plan of one query, to see why it is slow;</li>
 *   <li>{@link io.github.perfkit.jdbc.KeyFetcher}: many keys per query instead of one query per
 *       key.</li>
 * </ul>
 */
package io.github.perfkit.jdbc;
