/**
 * perf-jdbc: batched writes, streaming reads, query plans and query timing over any
 * {@link javax.sql.DataSource}.
 */
package io.github.perfkit.jdbc;
