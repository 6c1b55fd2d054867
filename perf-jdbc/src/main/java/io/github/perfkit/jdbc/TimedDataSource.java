package io.github.perfkit.jdbc;

import io.github.perfkit.core.CheckedRunnable;
import io.github.perfkit.core.LatencyRecorder;
import io.github.perfkit.core.PerfMetrics;
import io.github.perfkit.core.Ticker;
import io.github.perfkit.core.internal.QueryRows;
import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.github.perfkit.jdbc.internal.CountingResultSet;
import io.github.perfkit.jdbc.internal.ShapeCache;
import io.github.perfkit.jdbc.internal.SqlDialect;
import io.github.perfkit.jdbc.internal.SqlStatements;
import io.github.perfkit.jdbc.internal.TimingProxies;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} wrapper that times every statement executed through its connections into one
 * perf-core {@link LatencyRecorder} per SQL shape, reports statements slower than a threshold to a
 * log sink (shape only: no literal and no parameter value ever appears), and counts statements per
 * unit of work on the calling thread to catch N+1 patterns ({@link #countStatements(Runnable)},
 * {@link #assertAtMost(int, Runnable)}), and records the statements of a block on every thread, by
 * kind, shape and calling method ({@link #record}, {@link #recordAll}, {@link SqlLog}: the SQL
 * budgets of perf-junit's {@code @SqlBudget} and {@code assertThatSql}).
 *
 * <p><b>Shapes.</b> A shape is the statement with every literal replaced by {@code ?} and every
 * comment removed, read by a tokenizer that follows the database's own rules (taken from the first
 * connection's {@code getDatabaseProductName()}): {@code '..'} with {@code ''} doubling,
 * {@code E'..'}, {@code $$..$$}, {@code $tag$..$tag$}, nested {@code /* *}{@code /} comments and
 * {@code --} comments on PostgreSQL; backslash escapes, {@code "..."} strings, {@code x'..'},
 * {@code b'..'}, {@code _charset'..'}, {@code #} comments and {@code -- } comments on MariaDB/MySQL;
 * numbers in every form with their sign. {@code IN (..)} and {@code ARRAY[..]} lists of values
 * collapse to {@code (?)}, and a {@code VALUES} list keeps its first row ({@code VALUES (?, ?), ...}).
 * On PostgreSQL, H2 and DuckDB {@code "..."} is an identifier and stays; on other databases it is
 * treated as a literal. Shapes assume the servers' default quoting settings (PostgreSQL
 * {@code standard_conforming_strings=on}; MySQL without {@code ANSI_QUOTES} or
 * {@code NO_BACKSLASH_ESCAPES}). A shape longer than 2,048 characters is cut and ends in
 * {@code ...}.
 *
 * <p><b>Bounded.</b> Shapes are cached by SQL text (at most 4,096 texts of up to 2,048 characters;
 * the cache empties itself when full, so SQL built with literals costs only the time to shape it).
 * At most {@link Builder#maxShapes(int) maxShapes} (default {@value #DEFAULT_MAX_SHAPES}) distinct
 * shapes get a recorder and meters of their own; statements of any further shape are timed under
 * the shape {@value #OTHER_SHAPE} (its count is the number of such statements), and one warning
 * says the limit was reached. The slow log still names the real shape.
 *
 * <pre>{@code
 * TimedDataSource timed = TimedDataSource.builder(pool).slowThreshold(Duration.ofMillis(200)).build();
 * timed.assertAtMost(2, () -> service.loadOrdersWithLines(customerId));
 * timed.recorders().forEach((shape, rec) -> System.out.println(shape + " " + rec.snapshot()));
 * }</pre>
 *
 * <p><b>Rows read.</b> The result sets of its statements count the rows {@code next()} delivers,
 * per shape ({@link #rowsRead()}, the meter {@code perfkit.jdbc.rows.read}); while a perf-core
 * profile is open they also reach the profile's diagnosis, which names a shape that read far more
 * rows than the section wrote ("filter or aggregate in the database"). A result set is a plain
 * delegating class, not a proxy: a getter costs one more inlined call, {@code next()} one
 * increment.
 *
 * <p>Thread-safe. Cost per statement: one dynamic-proxy call, one cache lookup of the SQL text (on
 * a miss, one tokenizer pass over it: microseconds) and one recorder update; per query, a second
 * cache lookup and one small wrapper, plus one stack walk per new shape while a profile is open.
 */
public final class TimedDataSource implements DataSource {

  /** Distinct shapes that get their own recorder unless {@link Builder#maxShapes(int)} says. */
  public static final int DEFAULT_MAX_SHAPES = 500;

  /** The shape under which statements are timed once {@code maxShapes} distinct shapes exist. */
  public static final String OTHER_SHAPE = "other";

  static final int SHAPE_CACHE_SIZE = 4_096;
  static final int SHAPE_CACHE_MAX_SQL_LENGTH = 2_048;

  private static final ThreadLocal<long[]> COUNTER = new ThreadLocal<>();
  private static final ThreadLocal<ShapeCount> SHAPE_COUNT = new ThreadLocal<>();
  /** Recordings of every TimedDataSource ({@link #recordAll}). */
  private static final List<Queue<SqlLog.Statement>> EVERYWHERE = new CopyOnWriteArrayList<>();
  /** Whether a class is perf-jdbc's own code (not a caller). */
  private static final ClassValue<Boolean> OWN = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      return type.getName().startsWith("io.github.perfkit.jdbc.")
          && Objects.equals(location(type), location(TimedDataSource.class));
    }
  };
  private static final List<String> NOT_CALLERS = List.of("java.", "javax.", "jdk.", "sun.",
      "com.sun.", "com.zaxxer.hikari.", "org.postgresql.", "org.mariadb.", "com.mysql.", "org.h2.",
      "org.duckdb.", "org.hsqldb.", "oracle.jdbc.", "com.microsoft.sqlserver.",
      "org.apache.commons.dbcp2.", "org.apache.tomcat.jdbc.", "org.springframework.jdbc.");
  private static final System.Logger LOG = System.getLogger("io.github.perfkit.jdbc");

  private final DataSource delegate;
  private final Duration slowThreshold;
  private final Consumer<String> slowLog;
  private final String name;
  private final java.util.List<Binding> bindings = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final int maxShapes;
  private final LongSupplier ticker;
  private final Map<String, LatencyRecorder> recorders = new ConcurrentHashMap<>();
  /** Rows delivered by result sets, by the same shapes as {@link #recorders}. */
  private final Map<String, ShapeRows> rowsRead = new ConcurrentHashMap<>();

  /**
   * One shape's rows read, and the counters published for it: real counters held by their
   * registries, so they keep their values after this data source is gone, as the statement
   * timers do (a function counter would hold the tally weakly and read 0 once it is collected).
   */
  private static final class ShapeRows {
    final java.util.concurrent.atomic.LongAdder total = new java.util.concurrent.atomic.LongAdder();
    final List<io.micrometer.core.instrument.Counter> counters = new CopyOnWriteArrayList<>();

    void add(long rows) {
      total.add(rows);
      for (io.micrometer.core.instrument.Counter c : counters) {
        c.increment(rows);
      }
    }
  }
  private final List<Queue<SqlLog.Statement>> recordings = new CopyOnWriteArrayList<>();
  private final Object newShapeLock = new Object();
  private volatile ShapeCache shapes; // made on the first connection, in that database's dialect
  private volatile LatencyRecorder other; // written under newShapeLock, once maxShapes is reached
  private int namedShapes; // guarded by newShapeLock

  private TimedDataSource(Builder b) {
    this.delegate = b.delegate;
    this.slowThreshold = b.slowThreshold;
    this.slowLog = b.slowLog;
    this.name = b.name;
    this.maxShapes = b.maxShapes;
    this.ticker = b.ticker != null ? b.ticker : System::nanoTime;
  }

  /** A registry this data source's shapes are published to, with the binder's extra tags. */
  private record Binding(MeterRegistry registry, Tags tags) {}

  /**
   * This data source's Micrometer binder: every SQL shape's recorder, the ones seen so far and
   * the ones first seen later, as {@code perfkit.jdbc.statement} with tags {@code datasource}
   * ({@link Builder#name(String)}) and {@code shape} (no literal, no comment; at most
   * {@code maxShapes} of them plus {@value #OTHER_SHAPE}), and the companions of perf-core's
   * {@code PerfMetrics} ({@code .max} and {@code .percentile} over a recent window,
   * {@code .failures}); and per shape the counter {@code perfkit.jdbc.rows.read} (rows its result
   * sets delivered, same tags). HikariCP's own {@code hikaricp.*} meters are untouched by the wrapper.
   *
   * <pre>{@code
   * timed.metrics().tags("service", "orders").bindTo(meterRegistry);
   * }</pre>
   *
   * @return a binder to configure further or bind
   */
  public Metrics metrics() {
    return new Metrics(new java.lang.ref.WeakReference<>(this), Tags.empty());
  }

  /**
   * The binder of a {@link TimedDataSource}; see {@link TimedDataSource#metrics()}. It holds the
   * data source weakly; binding makes the data source publish its shapes (present and future) to
   * the registry. Immutable and thread-safe.
   */
  public static final class Metrics implements MeterBinder {
    private final java.lang.ref.WeakReference<TimedDataSource> source;
    private final Tags tags;

    private Metrics(java.lang.ref.WeakReference<TimedDataSource> source, Tags tags) {
      this.source = source;
      this.tags = tags;
    }

    /**
     * This binder with more tags on every meter.
     *
     * @param keyValues an even number of strings; never literals or URLs with credentials
     * @return a new binder
     * @throws IllegalArgumentException if the count is odd
     */
    public Metrics tags(String... keyValues) {
      Require.notNull(keyValues, "keyValues");
      if (keyValues.length % 2 != 0) {
        throw new IllegalArgumentException("keyValues must come in pairs but had "
            + keyValues.length + " elements");
      }
      return new Metrics(source, tags.and(keyValues));
    }

    /**
     * This binder with more tags on every meter.
     *
     * @param tags the tags
     * @return a new binder
     */
    public Metrics tags(Iterable<Tag> tags) {
      Require.notNull(tags, "tags");
      return new Metrics(source, this.tags.and(tags));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
      Require.notNull(registry, "registry");
      TimedDataSource ds = source.get();
      if (ds == null) {
        return;
      }
      Binding binding = new Binding(registry, tags);
      synchronized (ds.newShapeLock) { // no shape is made between the copy and the add
        ds.bindings.add(binding);
        ds.recorders.forEach((shape, recorder) -> ds.publish(binding, shape, recorder));
      }
    }
  }

  private void publish(Binding binding, String shape, LatencyRecorder recorder) {
    Tags tags = Tags.of(binding.tags()).and("datasource", name, "shape", shape);
    PerfMetrics.forRecorder(recorder).meterName("perfkit.jdbc.statement").tags(tags).build()
        .bindTo(binding.registry());
    ShapeRows rows = rowsRead.get(shape);
    if (rows != null) { // under newShapeLock: no count is lost between the copy and the add
      io.micrometer.core.instrument.Counter c = io.micrometer.core.instrument.Counter
          .builder("perfkit.jdbc.rows.read").tags(tags)
          .description("rows delivered by the result sets of one SQL shape")
          .register(binding.registry());
      synchronized (rows) {
        c.increment(rows.total.sum());
        rows.counters.add(c);
      }
    }
  }

  /**
   * Starts a builder.
   *
   * @param delegate the data source to wrap (a pool, typically)
   * @return a new builder
   * @throws NullPointerException if {@code delegate} is null
   */
  public static Builder builder(DataSource delegate) {
    return new Builder(Require.notNull(delegate, "delegate"));
  }

  /**
   * The recorders by SQL shape, live: at most {@code maxShapes}, plus {@value #OTHER_SHAPE} once
   * that many exist.
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
    Require.notNull(work, "work");
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
   * Starts counting the statements the calling thread executes through any TimedDataSource, by SQL
   * shape, until the count is closed: what a servlet filter uses to find the shapes one request
   * runs many times (N+1 suspects) without a recording's stack walks. Counts may nest: closing one
   * adds its counts to the one it interrupted. A statement behind two wrappers counts once.
   *
   * <pre>{@code
   * try (TimedDataSource.ShapeCount count = TimedDataSource.countShapes()) {
   *   chain.doFilter(request, response);
   *   count.counts().forEach((shape, n) -> { if (n >= 10) suspects.add(route, shape, n); });
   * }
   * }</pre>
   *
   * <p>Cost while open: one thread-local read and one hash-map update per statement; none for
   * other threads.
   *
   * @return the open count; close it on the same thread
   */
  public static ShapeCount countShapes() {
    ShapeCount count = new ShapeCount(SHAPE_COUNT.get());
    SHAPE_COUNT.set(count);
    return count;
  }

  /**
   * Statements by SQL shape on one thread, from {@link #countShapes()} until {@link #close()}. Not
   * thread-safe: use it on the thread that opened it.
   */
  public static final class ShapeCount implements AutoCloseable {
    private final ShapeCount outer;
    private final Map<String, Long> counts = new java.util.LinkedHashMap<>();
    private boolean closed;

    private ShapeCount(ShapeCount outer) {
      this.outer = outer;
    }

    void add(String shape) {
      counts.merge(shape, 1L, Long::sum);
    }

    /** @return statements by shape (literals replaced by {@code ?}), in first-seen order */
    public Map<String, Long> counts() {
      return java.util.Collections.unmodifiableMap(counts);
    }

    /**
     * Stops counting on this thread and adds the counts to the count this one interrupted, if any.
     * Idempotent.
     */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (SHAPE_COUNT.get() == this) {
        if (outer != null) {
          SHAPE_COUNT.set(outer);
        } else {
          SHAPE_COUNT.remove();
        }
      }
      if (outer != null) {
        counts.forEach((shape, n) -> outer.counts.merge(shape, n, Long::sum));
      }
    }
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
    Require.nonNegative(maxStatements, "maxStatements");
    long n = countStatements(work);
    if (n > maxStatements) {
      throw new AssertionError("expected at most " + maxStatements + " statements but the block ran "
          + n + " (an N+1 pattern? fetch the keys with KeyFetcher)");
    }
  }

  /**
   * Runs {@code work} and returns every statement executed through this data source while it ran,
   * on any thread: the statements of the threads it starts and of the tasks it submits count when
   * they finish before it returns. See {@link SqlLog} for exactly what is counted. Recordings may
   * overlap and nest; each gets every statement of its window.
   *
   * <pre>{@code
   * SqlLog log = timed.record(() -> service.orders(ids));
   * if (!log.repeatedSelects().isEmpty()) System.err.println(log.describe(SqlLog.Kind.SELECT));
   * }</pre>
   *
   * <p>Cost while a recording is open: one stack walk per statement (microseconds) to name its
   * caller; none when no recording is open.
   *
   * @param work the block
   * @param <E> what it may throw
   * @return its statements
   * @throws E what {@code work} threw (the statements are then lost with it)
   */
  public <E extends Exception> SqlLog record(CheckedRunnable<E> work) throws E {
    Require.notNull(work, "work");
    return record(recordings, work);
  }

  /**
   * {@link #record} over every {@link TimedDataSource} of the JVM, for tests that do not hold the
   * data source (perf-junit's {@code @SqlBudget} uses it). A statement that passes through two
   * wrappers (one data source wrapping a pool that wraps another) is recorded once.
   *
   * @param work the block
   * @param <E> what it may throw
   * @return its statements
   * @throws E what {@code work} threw
   */
  public static <E extends Exception> SqlLog recordAll(CheckedRunnable<E> work) throws E {
    Require.notNull(work, "work");
    return record(EVERYWHERE, work);
  }

  private static <E extends Exception> SqlLog record(List<Queue<SqlLog.Statement>> into,
      CheckedRunnable<E> work) throws E {
    Queue<SqlLog.Statement> queue = new ConcurrentLinkedQueue<>();
    into.add(queue);
    try {
      work.run();
    } finally {
      into.remove(queue);
    }
    return new SqlLog(new ArrayList<>(queue));
  }

  private void recordStatement(String shape, boolean unknownSql, boolean batch, boolean outermost) {
    boolean everywhere = outermost && !EVERYWHERE.isEmpty();
    if (recordings.isEmpty() && !everywhere) {
      return;
    }
    SqlLog.Statement entry = new SqlLog.Statement(kind(shape, unknownSql), shape,
        Thread.currentThread().getName(), caller(), batch);
    for (Queue<SqlLog.Statement> q : recordings) {
      q.add(entry);
    }
    if (everywhere) {
      for (Queue<SqlLog.Statement> q : EVERYWHERE) {
        q.add(entry);
      }
    }
  }

  private static SqlLog.Kind kind(String shape, boolean unknown) {
    if (unknown) {
      return SqlLog.Kind.OTHER;
    }
    SqlStatements.Classification c = SqlStatements.classify(shape, SqlDialect.GENERIC);
    return switch (c.kind()) {
      case QUERY -> SqlLog.Kind.SELECT;
      case OTHER -> SqlLog.Kind.OTHER;
      case DATA_CHANGE -> c.keyword().endsWith("UPDATE") ? SqlLog.Kind.UPDATE
          : c.keyword().endsWith("DELETE") ? SqlLog.Kind.DELETE : SqlLog.Kind.INSERT;
    };
  }

  private static String caller() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames ->
        frames.filter(f -> !OWN.get(f.getDeclaringClass()) && !notCaller(f.getClassName()))
            .findFirst().map(f -> simpleName(f.getClassName()) + "." + f.getMethodName() + "("
                + f.getFileName() + ":" + f.getLineNumber() + ")").orElse("unknown"));
  }

  private static boolean notCaller(String className) {
    for (String prefix : NOT_CALLERS) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  private static Object location(Class<?> type) {
    java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
    return source == null ? null : source.getLocation();
  }

  /** The shape limit; for tests. */
  int maxShapes() {
    return maxShapes;
  }

  /** The {@code datasource} tag's value; for tests. */
  String name() {
    return name;
  }

  /**
   * How many SQL texts the shape cache holds now (at most 4,096); for tests.
   *
   * @return the cache's size
   */
  int shapeCacheSize() {
    ShapeCache c = shapes;
    return c == null ? 0 : c.size();
  }

  private void executed(ShapeCache cache, String sql, long nanos, boolean failed, boolean batch,
      boolean outermost) {
    long[] c = COUNTER.get();
    if (c != null) {
      c[0]++;
    }
    String shape = cache.shape(sql);
    boolean unknownSql = sql.equals("<batch>"); // Statement.executeBatch: its texts are not seen
    recordStatement(unknownSql ? "<statement batch>" : shape, unknownSql, batch, outermost);
    ShapeCount count = outermost ? SHAPE_COUNT.get() : null;
    if (count != null) {
      count.add(unknownSql ? "<statement batch>" : shape);
    }
    LatencyRecorder r = recorders.get(shape);
    if (r == null) {
      LatencyRecorder overflow = other; // once set, no further shape can get a recorder of its own
      r = overflow != null ? overflow : recorderForNewShape(shape);
    }
    if (failed) {
      r.recordFailure(nanos);
    } else {
      r.record(nanos);
    }
    if (slowLog != null && nanos >= slowThreshold.toNanos()) {
      slowLog.accept("slow statement (" + Duration.ofNanos(nanos).toMillis() + " ms): " + shape);
    }
  }

  private LatencyRecorder recorderForNewShape(String shape) {
    synchronized (newShapeLock) {
      LatencyRecorder r = recorders.get(shape);
      if (r != null) {
        return r;
      }
      if (namedShapes >= maxShapes) {
        if (other == null) {
          other = recorders.computeIfAbsent(OTHER_SHAPE, this::newRecorder);
          LOG.log(Level.WARNING, "TimedDataSource reached maxShapes=" + maxShapes + " distinct SQL "
              + "shapes: statements of further shapes are timed under the shape '" + OTHER_SHAPE
              + "' (raise maxShapes, or look for SQL that is generated per call)");
        }
        return other;
      }
      r = newRecorder(shape);
      recorders.put(shape, r);
      namedShapes++;
      return r;
    }
  }

  private LatencyRecorder newRecorder(String shape) { // called under newShapeLock
    LatencyRecorder r = LatencyRecorder.create(shape);
    rowsRead.put(shape, new ShapeRows());
    // tag "shape": no literal, no comment, and at most maxShapes + 1 of them
    for (Binding binding : bindings) {
      publish(binding, shape, r);
    }
    return r;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return timed(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return timed(delegate.getConnection(username, password));
  }

  private Connection timed(Connection c) {
    ShapeCache cache = shapes;
    if (cache == null) {
      cache = shapeCache(c);
    }
    ShapeCache use = cache;
    return TimingProxies.connection(c, ticker, new TimingProxies.Sink() {
      @Override
      public void executed(String sql, long nanos, boolean failed, boolean batch,
          boolean outermost) {
        TimedDataSource.this.executed(use, sql, nanos, failed, batch, outermost);
      }

      @Override
      public ResultSet resultSet(ResultSet rs, Statement statement, String sql, long startNanos) {
        return counting(use, rs, statement, sql, startNanos);
      }
    });
  }

  /**
   * Wraps a result set to count its rows into the shape's total and, for the innermost wrapper
   * while a profile is open, into the profile (with the calling code, walked once per shape).
   */
  private ResultSet counting(ShapeCache cache, ResultSet rs, Statement statement, String sql,
      long startNanos) {
    String shape = cache.shape(sql);
    boolean innermost = !CountingResultSet.counted(rs);
    String caller = innermost && QueryRows.open() && QueryRows.wantsCaller(shape) ? caller()
        : null;
    return new CountingResultSet(rs, statement, rows -> {
      ShapeRows total = rowsRead.get(shape);
      if (total == null) {
        total = rowsRead.get(OTHER_SHAPE);
      }
      if (total != null) {
        synchronized (total) { // one lock per result set, never per row
          total.add(rows);
        }
      }
      if (innermost && QueryRows.open()) {
        QueryRows.read(shape, () -> caller != null ? caller : caller(), rows,
            ticker.getAsLong() - startNanos);
      }
    });
  }

  /**
   * Rows delivered so far by the result sets of each SQL shape (by {@code next()}, counted when a
   * result set is exhausted or closed), keyed as {@link #recorders()}; also published as
   * {@code perfkit.jdbc.rows.read{datasource,shape}}. Bytes are not counted: no driver tells them
   * cheaply.
   *
   * @return a snapshot, shape to rows
   */
  public Map<String, Long> rowsRead() {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    rowsRead.forEach((shape, n) -> out.put(shape, n.total.sum()));
    return java.util.Collections.unmodifiableMap(out);
  }

  private ShapeCache shapeCache(Connection c) {
    synchronized (newShapeLock) {
      return shapes != null ? shapes : makeShapeCache(c);
    }
  }

  private ShapeCache makeShapeCache(Connection c) {
    String product;
    try {
      product = c.getMetaData().getDatabaseProductName();
    } catch (SQLException | RuntimeException e) {
      product = null; // the conservative generic rules
    }
    shapes = new ShapeCache(SqlDialect.forProduct(product), SHAPE_CACHE_SIZE,
        SHAPE_CACHE_MAX_SQL_LENGTH);
    return shapes;
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

  private static void logSlow(String line) {
    System.getLogger("io.github.perfkit.jdbc.slow").log(Level.WARNING, line);
  }

  /**
   * Builder for {@link TimedDataSource}; not thread-safe. Each setting may be made once (a second
   * call is an {@link IllegalStateException} naming it); {@link #build()} copies, so reusing a
   * builder never changes a data source it already built.
   */
  public static final class Builder {
    private final DataSource delegate;
    private Duration slowThreshold = Duration.ofSeconds(1);
    private Consumer<String> slowLog = TimedDataSource::logSlow;
    private String name = "default";
    private int maxShapes = DEFAULT_MAX_SHAPES;
    private LongSupplier ticker;
    private final SetOnce set = new SetOnce();

    private Builder(DataSource delegate) {
      this.delegate = delegate;
    }

    /**
     * Statements at least this slow are logged; default one second.
     *
     * @param slowThreshold a non-negative duration
     * @return this builder
     * @throws IllegalArgumentException if it is negative
     * @throws IllegalStateException if it was set before
     */
    public Builder slowThreshold(Duration slowThreshold) {
      Require.nonNegative(slowThreshold, "slowThreshold");
      set.mark("slowThreshold");
      this.slowThreshold = slowThreshold;
      return this;
    }

    /**
     * Where slow-statement lines go (they carry the shape, never a literal or a comment); default a
     * {@link System.Logger} warning on {@code io.github.perfkit.jdbc.slow} (which reaches
     * {@code java.util.logging} unless the application installed another logger finder).
     *
     * @param slowLog the sink
     * @return this builder
     * @throws IllegalStateException if it was set before
     */
    public Builder slowLog(Consumer<String> slowLog) {
      Require.notNull(slowLog, "slowLog");
      set.mark("slowLog");
      this.slowLog = slowLog;
      return this;
    }

    /**
     * The data source's name for the {@code datasource} tag of its meters (default
     * {@code "default"}); give each wrapped pool its own when several publish to one registry.
     *
     * @param name a name, such as the pool's; never a URL
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if it was set before
     */
    public Builder name(String name) {
      Require.notBlank(name, "name");
      set.mark("name");
      this.name = name;
      return this;
    }

    /**
     * The most distinct SQL shapes that get a recorder and meters of their own; statements of
     * further shapes are timed under {@value TimedDataSource#OTHER_SHAPE}. Default
     * {@value TimedDataSource#DEFAULT_MAX_SHAPES}: enough for an application's own statements
     * (each shape publishes 8 meters, so the default caps this data source at about 4,000 series).
     *
     * @param maxShapes the limit, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code maxShapes <= 0}
     * @throws IllegalStateException if it was set before
     */
    public Builder maxShapes(int maxShapes) {
      Require.positive(maxShapes, "maxShapes");
      set.mark("maxShapes");
      this.maxShapes = maxShapes;
      return this;
    }

    /**
     * The clock that times each statement execution (the recorders' samples, and the slow-statement threshold), in nanoseconds from an arbitrary origin, as
     * {@link System#nanoTime()} (the default) gives them; a test passes a fake one to get exact
     * durations.
     *
     * @param ticker reads the time in nanoseconds; called from the threads that execute statements
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     * @throws IllegalStateException if it was set before
     */
    public Builder ticker(Ticker ticker) {
      Require.notNull(ticker, "ticker");
      set.mark("ticker");
      this.ticker = ticker::read;
      return this;
    }

    /**
     * Builds a wrapper from the settings made so far; no rule spans settings, so every combination
     * builds. Each call makes a new wrapper with recorders of its own.
     *
     * @return a thread-safe data source
     */
    public TimedDataSource build() {
      return new TimedDataSource(this);
    }
  }
}
