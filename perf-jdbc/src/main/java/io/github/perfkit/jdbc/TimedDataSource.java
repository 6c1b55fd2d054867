package io.github.perfkit.jdbc;

import io.github.perfkit.core.LatencyRecorder;
import io.github.perfkit.core.PerfMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.github.perfkit.jdbc.internal.SqlShapes;
import io.github.perfkit.jdbc.internal.TimingProxies;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} wrapper that times every statement executed through its connections into one
 * perf-core {@link LatencyRecorder} per SQL shape (literals replaced by {@code ?}, {@code IN} lists
 * collapsed), reports statements slower than a threshold to a log sink (shape only: no literal and no
 * parameter value ever appears), and counts statements per unit of work on the calling thread to
 * catch N+1 patterns ({@link #countStatements(Runnable)}, {@link #assertAtMost(int, Runnable)}).
 *
 * <pre>{@code
 * TimedDataSource timed = TimedDataSource.builder(pool).slowThreshold(Duration.ofMillis(200)).build();
 * timed.assertAtMost(2, () -> service.loadOrdersWithLines(customerId));
 * timed.recorders().forEach((shape, rec) -> System.out.println(shape + " " + rec.snapshot()));
 * }</pre>
 *
 * <p>Thread-safe. Cost per statement: one dynamic-proxy call, shaping the SQL text (a few regular
 * expressions, microseconds) and one recorder update.
 */
public final class TimedDataSource implements DataSource {

  private static final ThreadLocal<long[]> COUNTER = new ThreadLocal<>();

  private final DataSource delegate;
  private final Duration slowThreshold;
  private final Consumer<String> slowLog;
  private final MeterRegistry registry;
  private final Map<String, LatencyRecorder> recorders = new ConcurrentHashMap<>();
  private final Map<String, String> shapes = new ConcurrentHashMap<>();

  private TimedDataSource(Builder b) {
    this.delegate = b.delegate;
    this.slowThreshold = b.slowThreshold;
    this.slowLog = b.slowLog;
    this.registry = b.registry;
  }

  /**
   * Starts a builder.
   *
   * @param delegate the data source to wrap (a pool, typically)
   * @return a new builder
   */
  public static Builder builder(DataSource delegate) {
    return new Builder(Objects.requireNonNull(delegate, "delegate"));
  }

  /**
   * The recorders by SQL shape, live.
   *
   * @return an unmodifiable view
   */
  public Map<String, LatencyRecorder> recorders() {
    return java.util.Collections.unmodifiableMap(recorders);
  }

  /**
   * Runs {@code work} and returns how many statements it executed through this data source on the
   * calling thread.
   *
   * @param work the unit of work
   * @return the number of statement executions
   */
  public long countStatements(Runnable work) {
    Objects.requireNonNull(work, "work");
    long[] previous = COUNTER.get();
    long[] mine = {0};
    COUNTER.set(mine);
    try {
      work.run();
    } finally {
      COUNTER.set(previous);
      if (previous != null) {
        previous[0] += mine[0];
      }
    }
    return mine[0];
  }

  /**
   * Runs {@code work} and fails if it executed more than {@code maxStatements} statements: the
   * assertion that catches N+1 loops in tests.
   *
   * @param maxStatements the most statements allowed, {@code >= 0}
   * @param work the unit of work
   * @throws AssertionError naming the count and the limit
   */
  public void assertAtMost(int maxStatements, Runnable work) {
    if (maxStatements < 0) {
      throw new IllegalArgumentException("maxStatements must be >= 0 but was " + maxStatements);
    }
    long n = countStatements(work);
    if (n > maxStatements) {
      throw new AssertionError("expected at most " + maxStatements + " statements but the block ran "
          + n + " (an N+1 pattern? fetch the keys with KeyFetcher)");
    }
  }

  private void executed(String sql, long nanos, boolean failed) {
    long[] c = COUNTER.get();
    if (c != null) {
      c[0]++;
    }
    String shape = shapes.computeIfAbsent(sql, SqlShapes::shape);
    LatencyRecorder r = recorders.computeIfAbsent(shape, this::newRecorder);
    if (failed) {
      r.recordFailure(nanos);
    } else {
      r.record(nanos);
    }
    if (slowLog != null && nanos >= slowThreshold.toNanos()) {
      slowLog.accept("slow statement (" + Duration.ofNanos(nanos).toMillis() + " ms): " + shape);
    }
  }

  private LatencyRecorder newRecorder(String shape) {
    LatencyRecorder r = LatencyRecorder.create(shape);
    if (registry != null) {
      // tag "name" = the SQL shape: literals stripped, so cardinality is bounded by the code's queries
      PerfMetrics.forRecorder(r).tags("component", "jdbc").build().bindTo(registry);
    }
    return r;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return TimingProxies.connection(delegate.getConnection(), this::executed);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return TimingProxies.connection(delegate.getConnection(username, password), this::executed);
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }

  /** Builder for {@link TimedDataSource}; not thread-safe. */
  public static final class Builder {
    private final DataSource delegate;
    private Duration slowThreshold = Duration.ofSeconds(1);
    private Consumer<String> slowLog = Logger.getLogger("io.github.perfkit.jdbc.slow")::warning;
    private MeterRegistry registry;

    private Builder(DataSource delegate) {
      this.delegate = delegate;
    }

    /**
     * Statements at least this slow are logged; default one second.
     *
     * @param threshold a non-negative duration
     * @return this builder
     */
    public Builder slowThreshold(Duration threshold) {
      Objects.requireNonNull(threshold, "threshold");
      if (threshold.isNegative()) {
        throw new IllegalArgumentException("threshold must be >= 0 but was " + threshold);
      }
      this.slowThreshold = threshold;
      return this;
    }

    /**
     * Where slow-statement lines go (they carry the shape, never literals); default a JUL warning on
     * {@code io.github.perfkit.jdbc.slow}.
     *
     * @param slowLog the sink
     * @return this builder
     */
    public Builder slowLog(Consumer<String> slowLog) {
      this.slowLog = Objects.requireNonNull(slowLog, "slowLog");
      return this;
    }

    /**
     * Publishes each SQL shape's recorder to {@code registry} as {@code perfkit.latency} with tags
     * {@code name} (the shape, literals stripped) and {@code component=jdbc}; see perf-core's
     * {@code PerfMetrics} for the meters (client-side percentiles; histogram off).
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Builds the wrapper.
     *
     * @return a thread-safe data source
     */
    public TimedDataSource build() {
      return new TimedDataSource(this);
    }
  }
}
