package io.github.perfkit.core;

import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import io.github.perfkit.core.internal.ThreadMeters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * "Where is 80% of the time?": a pipeline marks named stages, and the breakdown reports each stage's
 * total, count and share, sorted by time with the cumulative share, marking the smallest set of stages
 * that makes up 80%. Each stage also shows its thread CPU time against its wall time and the bytes it
 * allocated, so a reader sees at a glance whether a stage computes or waits.
 *
 * <pre>{@code
 * StageBreakdown breakdown = StageBreakdown.create("import");
 * try (StageBreakdown.Stage s = breakdown.stage("fetch")) { fetch(); }
 * try (StageBreakdown.Stage s = breakdown.stage("store")) { store(); }
 * System.out.print(breakdown.snapshot().text());
 * }</pre>
 *
 * <p><b>Nesting:</b> a stage opened while another is open on the same thread is its child, named
 * {@code parent/child}. Rankings and the 80% line use each stage's <em>self</em> time (its time minus
 * its children's), so nested time is never counted twice; totals include children.
 *
 * <p><b>What is measured when a stage hands work to other threads:</b> wall time is the stage's
 * elapsed time on the thread that opened it, which includes waiting for the other threads. CPU time
 * and allocated bytes are the <em>opening thread's</em> only: work done by pool threads on the
 * stage's behalf is not in them, so a stage that fans out looks like waiting. Measure inside the
 * tasks (each task can open stages of its own on its thread) to see their CPU.
 *
 * <p><b>Threads and cost:</b> thread-safe: many threads may run stages of one breakdown at once (each
 * thread has its own nesting). A stage must be closed on the thread that opened it, in reverse order
 * of opening, exactly once; anything else throws {@link IllegalStateException} naming the stage.
 * Opening and closing a stage costs about a microsecond (thread CPU time is read from the OS), so
 * stages suit work of tens of microseconds and more; use a {@link LatencyRecorder} for finer timing.
 * Each stage's durations also go into a {@link LatencyRecorder}, so per-stage percentiles are
 * available and bind to Micrometer through {@link PerfMetrics}.
 */
public final class StageBreakdown {

  private final String name;
  private final Ticker ticker;
  private final Map<String, Accumulator> stages = new LinkedHashMap<>();
  private final ThreadLocal<ArrayDeque<Stage>> open = ThreadLocal.withInitial(ArrayDeque::new);
  private final List<BiConsumer<String, LatencyRecorder>> listeners = new CopyOnWriteArrayList<>();

  private StageBreakdown(String name, Ticker ticker) {
    this.name = name;
    this.ticker = ticker;
  }

  /**
   * Creates an empty breakdown that reads wall time from {@link Ticker#system()}.
   *
   * @param name what the breakdown measures, e.g. {@code "import"}
   * @return a new breakdown
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static StageBreakdown create(String name) {
    return builder(name).build();
  }

  /**
   * Starts a builder for a breakdown with non-default settings (its {@link Ticker}).
   *
   * @param name what the breakdown measures; see {@link #create(String)}
   * @return a new builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder builder(String name) {
    return new Builder(LatencyRecorder.checkName(name));
  }

  /**
   * Settings of a {@link StageBreakdown}. Each setting may be made once. Not thread-safe;
   * {@link #build()} copies, so a builder can be reused.
   */
  public static final class Builder {
    private final SetOnce set = new SetOnce();
    private final String name;
    private Ticker ticker = Ticker.system();

    private Builder(String name) {
      this.name = name;
    }

    /**
     * The source of the stages' wall time (default {@link Ticker#system()}); CPU time and
     * allocated bytes always come from the JVM's per-thread counters.
     *
     * @param ticker reads nanoseconds; thread-safe when stages run on several threads
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     * @throws IllegalStateException if it was set before
     */
    public Builder ticker(Ticker ticker) {
      set.mark("ticker");
      this.ticker = Require.notNull(ticker, "ticker");
      return this;
    }

    /** @return a new, empty breakdown */
    public StageBreakdown build() {
      return new StageBreakdown(name, ticker);
    }
  }

  /**
   * This breakdown's Micrometer binder: {@code perfkit.stage{breakdown,stage}} for every stage,
   * including stages first seen later (see {@link PerfMetrics}). The same as
   * {@code PerfMetrics.forBreakdown(this)}.
   *
   * @return a binder to configure further or bind
   */
  public PerfMetrics.Builder metrics() {
    return PerfMetrics.forBreakdown(this);
  }

  /** @return the breakdown's name */
  public String name() {
    return name;
  }

  /**
   * Opens a stage on the current thread; close it (try-with-resources) when the stage ends.
   *
   * @param stageName the stage's name, without {@code /}; nested stages are named
   *     {@code parent/child} in reports
   * @return the open stage
   * @throws NullPointerException if {@code stageName} is null
   * @throws IllegalArgumentException if {@code stageName} is blank or contains {@code /}
   */
  public Stage stage(String stageName) {
    Require.notNull(stageName, "stageName");
    if (stageName.isBlank() || stageName.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "stageName must be non-blank and without '/' but was '" + stageName + "'");
    }
    ArrayDeque<Stage> stack = open.get();
    Stage parent = stack.peek();
    String path = parent == null ? stageName : parent.path + "/" + stageName;
    Stage stage = new Stage(this, path, parent, Thread.currentThread());
    stack.push(stage);
    return stage;
  }

  /**
   * Times {@code code} as one stage.
   *
   * @param stageName the stage's name
   * @param code the code
   * @param <T> the result type
   * @param <E> the checked exception {@code code} may throw
   * @return what {@code code} returned
   * @throws E whatever {@code code} throws, unchanged
   */
  public <T, E extends Exception> T time(String stageName, CheckedSupplier<T, E> code) throws E {
    Require.notNull(code, "code");
    try (Stage s = stage(stageName)) {
      return code.get();
    }
  }

  /**
   * Everything measured so far, ranked by self time.
   *
   * @return an immutable snapshot
   */
  public BreakdownSnapshot snapshot() {
    List<BreakdownSnapshot.StageStats> rows = new ArrayList<>();
    synchronized (stages) {
      for (Map.Entry<String, Accumulator> e : stages.entrySet()) {
        Accumulator a = e.getValue();
        rows.add(new BreakdownSnapshot.StageStats(e.getKey(), a.count, a.wallNanos, a.selfNanos,
            a.cpuNanos, a.allocatedBytes, a.recorder.snapshot(), 0, 0, false));
      }
    }
    return BreakdownSnapshot.rank(name, rows, ThreadMeters.cpuSupported(),
        ThreadMeters.allocationSupported());
  }

  /**
   * The latency recorders of the stages seen so far, by stage path, for binding to metrics.
   *
   * @return a copy of the map
   */
  public Map<String, LatencyRecorder> recorders() {
    Map<String, LatencyRecorder> copy = new LinkedHashMap<>();
    synchronized (stages) {
      stages.forEach((k, v) -> copy.put(k, v.recorder));
    }
    return copy;
  }

  /** Calls {@code listener} for every stage seen so far and every stage seen from now on. */
  void addListener(BiConsumer<String, LatencyRecorder> listener) {
    synchronized (stages) {
      listeners.add(listener);
      stages.forEach((path, a) -> listener.accept(path, a.recorder));
    }
  }

  private void finish(Stage stage, long wall, long cpu, long allocated) {
    long self = Math.max(0, wall - stage.childNanos);
    synchronized (stages) {
      Accumulator a = stages.get(stage.path);
      if (a == null) {
        a = new Accumulator(LatencyRecorder.create(name + "/" + stage.path));
        stages.put(stage.path, a);
        for (BiConsumer<String, LatencyRecorder> listener : listeners) {
          listener.accept(stage.path, a.recorder);
        }
      }
      a.count++;
      a.wallNanos += wall;
      a.selfNanos += self;
      a.cpuNanos += Math.max(0, cpu);
      a.allocatedBytes += Math.max(0, allocated);
      a.recorder.record(wall);
    }
    if (stage.parent != null) {
      stage.parent.childNanos += wall;
    }
  }

  private static final class Accumulator {
    final LatencyRecorder recorder;
    long count;
    long wallNanos;
    long selfNanos;
    long cpuNanos;
    long allocatedBytes;

    Accumulator(LatencyRecorder recorder) {
      this.recorder = recorder;
    }
  }

  /**
   * One open stage. Close it exactly once, on the thread that opened it, after its children. Not
   * thread-safe.
   */
  public static final class Stage implements AutoCloseable {
    private final StageBreakdown owner;
    private final String path;
    private final Stage parent;
    private final Thread thread;
    private final long startWall;
    private final long startCpu;
    private final long startAllocated;
    private long childNanos;
    private boolean closed;

    private Stage(StageBreakdown owner, String path, Stage parent, Thread thread) {
      this.owner = owner;
      this.path = path;
      this.parent = parent;
      this.thread = thread;
      this.startAllocated = ThreadMeters.allocatedBytes();
      this.startCpu = ThreadMeters.cpuNanos();
      this.startWall = owner.ticker.read();
    }

    /** @return the stage's path, e.g. {@code fetch/parse} */
    public String path() {
      return path;
    }

    /**
     * Ends the stage.
     *
     * @throws IllegalStateException if the stage was already closed, is closed on another thread
     *     than the one that opened it, or a stage opened inside it is still open
     */
    @Override
    public void close() {
      long wall = owner.ticker.read() - startWall;
      long cpu = ThreadMeters.cpuNanos() - startCpu;
      long allocated = ThreadMeters.allocatedBytes() - startAllocated;
      if (closed) {
        throw new IllegalStateException("stage '" + path + "' of breakdown '" + owner.name
            + "' closed twice");
      }
      if (Thread.currentThread() != thread) {
        throw new IllegalStateException("stage '" + path + "' of breakdown '" + owner.name
            + "' opened on thread '" + thread.getName() + "' but closed on '"
            + Thread.currentThread().getName() + "'");
      }
      ArrayDeque<Stage> stack = owner.open.get();
      if (stack.peek() != this) {
        Stage inner = stack.peek();
        throw new IllegalStateException("stage '" + path + "' of breakdown '" + owner.name
            + "' closed out of order: '" + (inner == null ? "?" : inner.path) + "' is still open");
      }
      stack.pop();
      closed = true;
      owner.finish(this, wall, cpu, allocated);
    }
  }
}
