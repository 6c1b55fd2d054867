package io.github.perfkit.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * Rows that JDBC result sets delivered, and rows written in bulk, while a profile is open: perf-jdbc
 * reports them here ({@code TimedDataSource}'s result sets, {@code BatchWriter}'s writes) and the
 * profile's diagnosis reads them (perf-core cannot depend on perf-jdbc). When no window is open,
 * a report costs one read of an empty list.
 *
 * <p>Thread-safe.
 */
public final class QueryRows {

  private static final List<Window> OPEN = new CopyOnWriteArrayList<>();

  private QueryRows() {}

  /**
   * The rows one statement shape's result sets delivered on one thread.
   *
   * @param shape the statement's shape (no literal, no comment)
   * @param caller the code that executed it, as {@code Class.method(File.java:line)}
   * @param rows rows delivered by {@code next()}
   * @param resultSets result sets that delivered them
   * @param openNanos summed time from each execution's start until its result set was exhausted or
   *     closed
   */
  public record Read(String shape, String caller, long rows, long resultSets, long openNanos) {}

  /** @return whether any window is open: whether reports are wanted at all */
  public static boolean open() {
    return !OPEN.isEmpty();
  }

  /**
   * Whether some open window has no caller for this shape yet: a reporter walks the stack only
   * then.
   *
   * @param shape the shape
   * @return true if a caller should be given with the next read of it
   */
  public static boolean wantsCaller(String shape) {
    for (Window w : OPEN) {
      if (!w.callers.containsKey(shape)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reports one exhausted or closed result set, on the thread that read it.
   *
   * @param shape the statement's shape
   * @param caller supplies the calling code when {@link #wantsCaller} said so; called at most once
   * @param rows rows it delivered
   * @param openNanos time from the execution's start until it ended
   */
  public static void read(String shape, Supplier<String> caller, long rows, long openNanos) {
    if (OPEN.isEmpty()) {
      return;
    }
    long thread = Thread.currentThread().getId();
    String who = null;
    for (Window w : OPEN) {
      if (!w.callers.containsKey(shape)) {
        if (who == null) {
          who = caller == null ? "unknown" : caller.get();
        }
        w.callers.putIfAbsent(shape, who);
      }
      w.tallies.computeIfAbsent(new Key(shape, thread), k -> new Tally()).add(rows, openNanos);
    }
  }

  /**
   * Reports rows written in bulk on the calling thread (rows a section keeps).
   *
   * @param rows rows written
   */
  public static void written(long rows) {
    if (OPEN.isEmpty() || rows <= 0) {
      return;
    }
    long thread = Thread.currentThread().getId();
    for (Window w : OPEN) {
      w.written.computeIfAbsent(thread, t -> new LongAdder()).add(rows);
    }
  }

  /**
   * Opens a window; every report until it is closed reaches it.
   *
   * @return the open window
   */
  public static Window start() {
    Window w = new Window();
    OPEN.add(w);
    return w;
  }

  private record Key(String shape, long thread) {}

  private static final class Tally {
    final LongAdder rows = new LongAdder();
    final LongAdder resultSets = new LongAdder();
    final LongAdder nanos = new LongAdder();

    void add(long n, long openNanos) {
      rows.add(n);
      resultSets.increment();
      nanos.add(Math.max(0, openNanos));
    }
  }

  /** What was reported while it was open, by thread. */
  public static final class Window implements AutoCloseable {
    private final Map<Key, Tally> tallies = new ConcurrentHashMap<>();
    private final Map<String, String> callers = new ConcurrentHashMap<>();
    private final Map<Long, LongAdder> written = new ConcurrentHashMap<>();

    private Window() {}

    /**
     * The reads of the threads a profile kept, per shape, most rows first.
     *
     * @param threads the thread ids in scope
     * @return one entry per shape
     */
    public List<Read> reads(LongPredicate threads) {
      Map<String, long[]> byShape = new java.util.LinkedHashMap<>();
      tallies.forEach((k, t) -> {
        if (threads.test(k.thread())) {
          long[] a = byShape.computeIfAbsent(k.shape(), s -> new long[3]);
          a[0] += t.rows.sum();
          a[1] += t.resultSets.sum();
          a[2] += t.nanos.sum();
        }
      });
      List<Read> out = new ArrayList<>();
      byShape.forEach((shape, a) -> out.add(new Read(shape, callers.getOrDefault(shape, "unknown"),
          a[0], a[1], a[2])));
      out.sort((x, y) -> Long.compare(y.rows(), x.rows()));
      return out;
    }

    /**
     * Rows written in bulk by the threads in scope.
     *
     * @param threads the thread ids in scope
     * @return the rows
     */
    public long written(LongPredicate threads) {
      long n = 0;
      for (Map.Entry<Long, LongAdder> e : written.entrySet()) {
        if (threads.test(e.getKey())) {
          n += e.getValue().sum();
        }
      }
      return n;
    }

    /** Stops receiving reports. Idempotent. */
    @Override
    public void close() {
      OPEN.remove(this);
    }
  }
}
