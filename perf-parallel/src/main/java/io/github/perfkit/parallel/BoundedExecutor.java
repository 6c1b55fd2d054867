package io.github.perfkit.parallel;

import io.github.perfkit.core.VirtualThreads;
import io.github.perfkit.parallel.internal.ExecutorMeters;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An {@link ExecutorService} with a concurrency limit and a bounded queue, for I/O-bound or CPU-bound
 * work. Make one with {@link Parallel#io(String)} or {@link Parallel#cpu(String)}.
 *
 * <pre>{@code
 * try (BoundedExecutor io = Parallel.io("fetch").maxConcurrency(100).build()) {
 *   List<Page> pages = io.map(urls, client::download);   // input order, at most 100 at once
 * }                                                      // close() runs every accepted task first
 * }</pre>
 *
 * <p><b>How it runs:</b> I/O-bound on Java 21+: one virtual thread per task, at most
 * {@code maxConcurrency} running, the rest parked; on Java 17: a pool of {@code maxConcurrency}
 * platform threads. CPU-bound: a dedicated work-stealing {@link ForkJoinPool} with
 * {@code maxConcurrency} = parallelism (default: available processors).
 *
 * <p><b>Backpressure:</b> at most {@code maxConcurrency + queueCapacity} tasks are accepted and not
 * finished; one more is rejected with {@link RejectedTaskException} or blocks its submitter
 * ({@link Backpressure}).
 *
 * <p><b>Nothing accepted is lost:</b> {@link #close()} (and {@link #shutdown()} followed by
 * {@link #awaitTermination}) runs every accepted task; {@link #shutdownNow()} interrupts running tasks
 * and returns exactly the accepted tasks that never started.
 *
 * <p><b>Shared or adaptive limit:</b> with {@link Parallel.Builder#limit(ConcurrencyLimit)}, every
 * task also holds a permit of that limit while it runs, so several executors calling one downstream
 * share it, and an adaptive limit learns from each task's latency. The executor's own
 * {@code maxConcurrency} stays the upper bound.
 *
 * <p><b>Metrics:</b> with {@link Parallel.Builder#metrics(MeterRegistry)}, the names of Micrometer's
 * {@code ExecutorServiceMetrics} and {@code TimedExecutorService} with tag {@code name}:
 * {@code executor.active}, {@code executor.queued}, {@code executor.completed},
 * {@code executor.queue.remaining}, {@code executor.pool.max}, timers {@code executor} (run time) and
 * {@code executor.idle} (time queued); plus {@code executor.rejected} and {@code executor.limit}.
 *
 * <p>Thread-safe. Per task it costs one semaphore acquire/release around what the underlying JDK
 * executor costs.
 */
public final class BoundedExecutor extends AbstractExecutorService implements AutoCloseable {

  private final String name;
  private final Workload workload;
  private final int maxConcurrency;
  private final int queueCapacity;
  private final Backpressure backpressure;
  private final boolean virtual;
  private final ExecutorService delegate;
  private final Semaphore admission;
  private final Semaphore running; // virtual threads only: the concurrency limit
  private final ConcurrencyLimit limit; // optional, maybe shared with other executors
  private final boolean tracked; // tasks can wait after being handed to the delegate
  private final Set<Task> waiting = ConcurrentHashMap.newKeySet(); // tracked: accepted, not started
  private final ExecutorMeters meters; // optional
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  BoundedExecutor(String name, Workload workload, int maxConcurrency, int queueCapacity,
      Backpressure backpressure, boolean allowVirtual, ConcurrencyLimit limit,
      MeterRegistry registry) {
    this.name = name;
    this.limit = limit;
    this.workload = workload;
    this.maxConcurrency = maxConcurrency;
    this.queueCapacity = queueCapacity;
    this.backpressure = backpressure;
    this.admission = new Semaphore((int) Math.min(Integer.MAX_VALUE,
        (long) maxConcurrency + queueCapacity));
    if (workload == Workload.CPU_BOUND) {
      this.virtual = false;
      this.running = null;
      AtomicInteger n = new AtomicInteger();
      this.delegate = new ForkJoinPool(maxConcurrency, pool -> {
        var thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        thread.setName(name + "-" + n.getAndIncrement());
        return thread;
      }, null, false);
    } else if (allowVirtual && VirtualThreads.isSupported()) {
      this.virtual = true;
      this.running = new Semaphore(maxConcurrency);
      this.delegate = VirtualThreads.newThreadPerTaskExecutor(name + "-").orElseThrow();
    } else {
      this.virtual = false;
      this.running = null;
      ThreadFactory factory = platformFactory(name);
      ThreadPoolExecutor pool = new ThreadPoolExecutor(maxConcurrency, maxConcurrency, 30,
          TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
      pool.allowCoreThreadTimeOut(true);
      this.delegate = pool;
    }
    this.tracked = virtual || limit != null;
    this.meters = registry == null ? null : new ExecutorMeters(registry, this, queueCapacity);
  }

  private static ThreadFactory platformFactory(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }

  /** @return the executor's name (thread names, metrics, errors) */
  public String name() {
    return name;
  }

  /** @return what it was built for */
  public Workload workload() {
    return workload;
  }

  /** @return how many tasks may run at once */
  public int maxConcurrency() {
    return maxConcurrency;
  }

  /** @return whether tasks run on virtual threads */
  public boolean usesVirtualThreads() {
    return virtual;
  }

  /** @return the concurrency limit this executor's tasks also hold, if one was given */
  public java.util.Optional<ConcurrencyLimit> limit() {
    return java.util.Optional.ofNullable(limit);
  }

  /** @return tasks running now */
  public int activeCount() {
    return active.get();
  }

  /** @return tasks accepted and not yet started */
  public int queuedCount() {
    int accepted = maxConcurrency + queueCapacity - admission.availablePermits();
    return Math.max(0, accepted - active.get());
  }

  /** @return tasks finished (normally or exceptionally) */
  public long completedCount() {
    return completed.get();
  }

  /** @return tasks rejected for saturation or shutdown */
  public long rejectedCount() {
    return rejected.get();
  }

  @Override
  public void execute(Runnable command) {
    Objects.requireNonNull(command, "command");
    if (delegate.isShutdown()) {
      rejected.incrementAndGet();
      throw new RejectedTaskException(name, "shut down; accepted tasks", 0);
    }
    admit();
    Task task = new Task(command);
    if (tracked) {
      waiting.add(task);
    }
    try {
      delegate.execute(task);
    } catch (RuntimeException e) {
      waiting.remove(task);
      admission.release();
      rejected.incrementAndGet();
      throw e instanceof RejectedTaskException ? e
          : new RejectedTaskException(name, "shut down; accepted tasks", 0);
    }
  }

  private void admit() {
    if (backpressure == Backpressure.REJECT) {
      if (!admission.tryAcquire()) {
        rejected.incrementAndGet();
        throw new RejectedTaskException(name, "maxConcurrency + queueCapacity",
            (long) maxConcurrency + queueCapacity);
      }
      return;
    }
    try {
      admission.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      rejected.incrementAndGet();
      throw new RejectedTaskException(name, "interrupted while waiting for room; "
          + "maxConcurrency + queueCapacity", (long) maxConcurrency + queueCapacity);
    }
  }

  /** An accepted task: holds an admission permit until it finishes (or is dropped unrun). */
  private final class Task implements Runnable {
    final Runnable command;
    final long submitted;

    Task(Runnable command) {
      this.command = command;
      this.submitted = meters == null ? 0 : System.nanoTime();
    }

    @Override
    public void run() {
      ConcurrencyLimit.Permit permit = null;
      if (tracked) {
        boolean holdsRunning = false;
        try {
          if (virtual) {
            running.acquire();
            holdsRunning = true;
          }
          if (limit != null) {
            permit = limit.acquire();
          }
        } catch (InterruptedException e) {
          if (holdsRunning) {
            running.release();
          }
          // shutdownNow: if it already took this task from 'waiting', it reports it as not run
          if (waiting.remove(this)) {
            admission.release();
          }
          return;
        }
        if (!waiting.remove(this)) { // shutdownNow took it: it is reported as not run
          if (permit != null) {
            permit.releaseUnused();
          }
          if (holdsRunning) {
            running.release();
          }
          return;
        }
      }
      long start = meters == null ? 0 : System.nanoTime();
      if (meters != null) {
        meters.idle(start - submitted);
      }
      active.incrementAndGet();
      Throwable failure = null;
      try {
        command.run();
      } catch (RuntimeException | Error e) {
        failure = e;
        throw e;
      } finally {
        active.decrementAndGet();
        if (meters != null) {
          meters.executed(System.nanoTime() - start);
        }
        if (permit != null) {
          permit.release(failure != null ? failure : failureOf(command));
        }
        if (virtual) {
          running.release();
        }
        admission.release();
        completed.incrementAndGet(); // last: a completed task no longer holds any place
      }
    }
  }

  /** The failure a finished {@code submit}ted task stored in its future, or null. */
  private static Throwable failureOf(Runnable command) {
    if (command instanceof Future<?> future && future.isDone() && !future.isCancelled()) {
      try {
        future.get();
      } catch (ExecutionException e) {
        return e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return null;
  }

  /**
   * Applies {@code fn} to every item with at most {@link #maxConcurrency()} calls at once and returns
   * the results in input order. Fail-fast: the first failure cancels the calls not yet finished
   * (running ones are interrupted), submits nothing more, and is thrown unchanged.
   *
   * @param items the inputs
   * @param fn the function, called on this executor's threads
   * @param <T> input type
   * @param <R> result type
   * @return the results, in input order
   * @throws NullPointerException if an argument is null
   */
  public <T, R> List<R> map(Collection<? extends T> items, Function<? super T, ? extends R> fn) {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(fn, "fn");
    List<R> results = new ArrayList<>(items.size());
    forEachOrdered(items.iterator(), fn, maxConcurrency, results::add);
    return results;
  }

  /**
   * Applies {@code fn} to every item with at most {@link #maxConcurrency()} calls at once and collects
   * every outcome: results in input order and failures by index. Nothing is cancelled.
   *
   * @param items the inputs
   * @param fn the function
   * @param <T> input type
   * @param <R> result type
   * @return results and failures
   */
  public <T, R> BulkResult<R> mapAll(Collection<? extends T> items,
      Function<? super T, ? extends R> fn) {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(fn, "fn");
    List<R> results = new ArrayList<>(items.size());
    Map<Integer, Throwable> failures = new HashMap<>();
    Function<T, Outcome<R>> safe = item -> {
      try {
        return new Outcome<>(fn.apply(item), null);
      } catch (Throwable t) {
        return new Outcome<>(null, t);
      }
    };
    int[] index = {0};
    forEachOrdered(items.iterator(), safe, maxConcurrency, outcome -> {
      if (outcome.error != null) {
        failures.put(index[0], outcome.error);
      }
      results.add(outcome.value);
      index[0]++;
    });
    return new BulkResult<>(results, failures);
  }

  private record Outcome<R>(R value, Throwable error) {}

  /**
   * Streams a possibly huge or unbounded input through {@code fn} with at most {@code maxInFlight}
   * calls submitted and unconsumed at any time, handing results to {@code sink} in input order on the
   * calling thread. Memory stays flat however long the input: the Java answer to a generator
   * pipeline. Fail-fast as {@link #map}.
   *
   * @param items the inputs, read lazily
   * @param fn the function
   * @param maxInFlight the most calls submitted and not yet handed to {@code sink}, {@code >= 1}
   * @param sink receives each result in input order
   * @param <T> input type
   * @param <R> result type
   * @throws IllegalArgumentException if {@code maxInFlight < 1}
   */
  public <T, R> void forEachOrdered(Iterator<? extends T> items, Function<? super T, ? extends R> fn,
      int maxInFlight, Consumer<? super R> sink) {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(sink, "sink");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1 but was " + maxInFlight);
    }
    ArrayDeque<Future<? extends R>> window = new ArrayDeque<>(Math.min(maxInFlight, 1024));
    try {
      while (items.hasNext()) {
        if (window.size() >= maxInFlight) {
          sink.accept(await(window.pollFirst()));
        }
        T item = items.next();
        window.addLast(submit(() -> fn.apply(item)));
      }
      while (!window.isEmpty()) {
        sink.accept(await(window.pollFirst()));
      }
    } catch (RuntimeException | Error e) {
      for (Future<? extends R> f : window) {
        f.cancel(true);
      }
      throw e;
    }
  }

  /**
   * Like {@link #map} with an overall deadline: if not every result is in within {@code timeout}, the
   * unfinished calls are cancelled (running ones interrupted) and {@link BulkTimeoutException} says
   * how many finished.
   *
   * @param items the inputs
   * @param fn the function
   * @param timeout the overall deadline, positive
   * @param <T> input type
   * @param <R> result type
   * @return the results, in input order
   */
  public <T, R> List<R> map(Collection<? extends T> items, Function<? super T, ? extends R> fn,
      Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive but was " + timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Future<? extends R>> futures = new ArrayList<>(items.size());
    List<R> results = new ArrayList<>(items.size());
    Semaphore inFlight = new Semaphore(maxConcurrency);
    try {
      for (T item : items) {
        if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          throw new BulkTimeoutException(name, timeout, results.size(), items.size());
        }
        futures.add(submit(() -> {
          try {
            return fn.apply(item);
          } finally {
            inFlight.release();
          }
        }));
      }
      for (Future<? extends R> f : futures) {
        long left = deadline - System.nanoTime();
        try {
          results.add(f.get(Math.max(0, left), TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
          throw new BulkTimeoutException(name, timeout, results.size(), items.size());
        } catch (ExecutionException e) {
          throw rethrow(e.getCause());
        }
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for '" + name + "'");
    } finally {
      if (results.size() < items.size()) {
        futures.forEach(f -> f.cancel(true));
      }
    }
  }

  private static <R> R await(Future<? extends R> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new CancellationException("interrupted while waiting for a result");
    }
  }

  private static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException re) {
      throw re;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    throw new IllegalStateException(cause);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  /**
   * Interrupts running tasks and returns the accepted tasks that never started.
   *
   * @return the tasks that will not run
   */
  @Override
  public List<Runnable> shutdownNow() {
    List<Runnable> notRun = new ArrayList<>();
    if (tracked) {
      delegate.shutdown(); // accept nothing new
      for (Task task : List.copyOf(waiting)) {
        if (waiting.remove(task)) {
          admission.release();
          notRun.add(task.command);
        }
      }
      delegate.shutdownNow(); // interrupts running tasks; queued ones were all in 'waiting'
    } else {
      for (Runnable r : delegate.shutdownNow()) {
        if (r instanceof Task task) {
          admission.release();
          notRun.add(task.command);
        } else {
          notRun.add(r);
        }
      }
    }
    return notRun;
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return delegate.awaitTermination(timeout, unit);
  }

  /**
   * Stops accepting tasks and waits, without a time limit, until every accepted task has run.
   * If the waiting thread is interrupted, the tasks are interrupted too ({@link #shutdownNow()}) and
   * the interrupt is kept.
   */
  @Override
  public void close() {
    shutdown();
    try {
      while (!awaitTermination(1, TimeUnit.DAYS)) {
        // keep waiting: every accepted task runs
      }
    } catch (InterruptedException e) {
      shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "BoundedExecutor[" + name + ", " + workload + ", maxConcurrency=" + maxConcurrency
        + (virtual ? ", virtual threads" : "") + "]";
  }
}
