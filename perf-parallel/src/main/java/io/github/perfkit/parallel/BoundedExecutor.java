package io.github.perfkit.parallel;

import io.github.perfkit.core.internal.VirtualThreads;
import io.github.perfkit.parallel.internal.ExecutorMeters;
import io.github.perfkit.parallel.internal.FailFast;
import io.github.perfkit.parallel.internal.TaskTimer;
import io.github.perfkit.parallel.internal.WorkStealingPool;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
import java.util.concurrent.ForkJoinTask;
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
 * and returns exactly the accepted tasks that never started, so that every accepted task (one for
 * which {@code execute} returned) either runs or is returned, exactly once, also while other threads
 * submit. A task whose submission races a shutdown is either accepted or rejected with
 * {@link RejectedTaskException} ({@link RejectedTaskException.Reason#SHUT_DOWN}).
 *
 * <p><b>Shared or adaptive limit:</b> with {@link Parallel.Builder#limit(ConcurrencyLimit)}, every
 * task also holds a permit of that limit while it runs, so several executors calling one downstream
 * share it, and an adaptive limit learns from each task's latency. The executor's own
 * {@code maxConcurrency} stays the upper bound.
 *
 * <p><b>Metrics:</b> with {@link #metrics()}, the names of Micrometer's
 * {@code ExecutorServiceMetrics} and {@code TimedExecutorService} with tag {@code name}:
 * {@code executor.active}, {@code executor.queued}, {@code executor.completed},
 * {@code executor.queue.remaining}, {@code executor.pool.max}, timers {@code executor} (run time) and
 * {@code executor.idle} (time queued); plus {@code executor.rejected} and {@code executor.limit}.
 *
 * <p>Thread-safe. Per task it costs one semaphore acquire/release and one compare-and-set (who
 * owns the task: the thread that runs it, {@link #shutdownNow()}, or a rejection) around what the
 * underlying JDK executor costs; on virtual threads, or with a limit, also one concurrent-set
 * insert and removal (so that {@link #shutdownNow()} finds tasks that wait for a permit).
 */
public final class BoundedExecutor extends AbstractExecutorService implements AutoCloseable {

  private final String name;
  private final Workload workload;
  private final int maxConcurrency;
  private final int queueCapacity;
  private final int capacity; // maxConcurrency + queueCapacity, at most Integer.MAX_VALUE
  private final Backpressure backpressure;
  private final boolean virtual;
  private final ExecutorService delegate;
  // CPU-bound: the delegate, else null. Shut down only once no task holds a place: a Java 17
  // ForkJoinPool that shuts down while a thread submits can accept the task and never run it (it
  // checks for shutdown before it locks the queue; a raw pool lost 1 task in 200 such races).
  private final WorkStealingPool pool;
  private volatile boolean shutdown;
  private final Semaphore admission;
  private final Semaphore running; // virtual threads only: the concurrency limit
  private final ConcurrencyLimit limit; // optional, maybe shared with other executors
  private final boolean tracked; // tasks can wait after being handed to the delegate
  private final Set<Task> live = ConcurrentHashMap.newKeySet(); // tracked: accepted, not finished
  private static final ExecutorMeters[] NO_METERS = new ExecutorMeters[0];
  private volatile ExecutorMeters[] meters = NO_METERS; // one per bound registry; copy on write
  private final AtomicLong callerBacklog = new AtomicLong(); // map/mapAll items not yet submitted
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  BoundedExecutor(String name, Workload workload, int maxConcurrency, int queueCapacity,
      Backpressure backpressure, boolean allowVirtual, ConcurrencyLimit limit) {
    this.name = name;
    this.limit = limit;
    this.workload = workload;
    this.maxConcurrency = maxConcurrency;
    this.queueCapacity = queueCapacity;
    this.backpressure = backpressure;
    this.capacity = (int) Math.min(Integer.MAX_VALUE, (long) maxConcurrency + queueCapacity);
    this.admission = new Semaphore(capacity);
    if (workload == Workload.CPU_BOUND) {
      this.virtual = false;
      this.running = null;
      this.pool = WorkStealingPool.create(name, maxConcurrency);
      this.delegate = pool;
    } else if (allowVirtual && VirtualThreads.isSupported()) {
      this.virtual = true;
      this.running = new Semaphore(maxConcurrency);
      this.pool = null;
      this.delegate = VirtualThreads.newThreadPerTaskExecutor(name + "-").orElseThrow();
    } else {
      this.virtual = false;
      this.running = null;
      this.pool = null;
      ThreadFactory factory = platformFactory(name);
      ThreadPoolExecutor threads = new ThreadPoolExecutor(maxConcurrency, maxConcurrency, 30,
          TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
      threads.allowCoreThreadTimeOut(true);
      this.delegate = threads;
    }
    this.tracked = virtual || limit != null;
  }

  /**
   * This executor's Micrometer binder: the meters of Micrometer's {@code ExecutorServiceMetrics}
   * and {@code TimedExecutorService} ({@code executor.active}, {@code executor.queued} (tasks
   * accepted and not started, plus items a {@code map}/{@code mapAll} call holds on its caller's
   * side), {@code executor.queue.remaining}, {@code executor.pool.size}, {@code executor.pool.core},
   * {@code executor.pool.max}, {@code executor.completed}, timers {@code executor} (run time) and
   * {@code executor.idle} (from acceptance, or from the {@code map} call, to the start)), plus
   * {@code executor.rejected} and {@code executor.limit}; tag {@code name}. Gauges hold the executor
   * weakly.
   *
   * <pre>{@code
   * executor.metrics().tags("service", "search").bindTo(meterRegistry);
   * }</pre>
   *
   * @return a binder to configure further or bind
   */
  public ExecutorMetrics metrics() {
    return new ExecutorMetrics(this, io.micrometer.core.instrument.Tags.empty());
  }

  /** Called by {@link ExecutorMetrics#bindTo}. */
  synchronized void bind(MeterRegistry registry, io.micrometer.core.instrument.Tags tags) {
    ExecutorMeters[] now = meters;
    ExecutorMeters[] more = java.util.Arrays.copyOf(now, now.length + 1);
    more[now.length] = new ExecutorMeters(registry, this, queueCapacity, tags);
    meters = more;
  }

  /** @return the threads (or, with virtual threads, the tasks) running or parked in the pool now */
  public int poolSize() {
    if (pool != null) {
      return pool.getPoolSize();
    }
    if (delegate instanceof ThreadPoolExecutor threads) {
      return threads.getPoolSize();
    }
    return active.get(); // a virtual thread per running task
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
    // running first, and a task gives back its admission before it leaves "active": a finished
    // task is never counted as queued (it was: 1 queued just after map returned)
    int running = active.get();
    int accepted = capacity - admission.availablePermits();
    long queued = Math.max(0, accepted - running) + callerBacklog.get();
    return (int) Math.min(Integer.MAX_VALUE, queued);
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
    if (shutdown) {
      rejected.incrementAndGet();
      throw RejectedTaskException.shutDown(name);
    }
    admit();
    if (shutdown) { // while it waited for room
      release();
      rejected.incrementAndGet();
      throw RejectedTaskException.shutDown(name);
    }
    Task task = new Task(command, acceptedAt());
    if (tracked) {
      live.add(task);
    }
    try {
      delegate.execute(task);
    } catch (RuntimeException | Error e) {
      if (!task.claim(REJECTED)) {
        return; // shutdownNow took it first and returned it as not run: it was accepted
      }
      RejectedTaskException rejection = reject(task);
      if (shutdown) { // the delegate was shut down meanwhile
        throw rejection;
      }
      throw e; // the JDK executor could not take it (out of memory, say): its reason, unchanged
    }
    // Accepted. The CPU pool is still running: it is shut down only once no task holds a place.
    // If shutdownNow's drain missed this task (it was being pushed), the pool runs it.
  }

  private RejectedTaskException reject(Task task) {
    if (tracked) {
      live.remove(task);
    }
    release();
    rejected.incrementAndGet();
    return RejectedTaskException.shutDown(name);
  }

  /** Gives back an accepted task's place; the last one after shutdown lets the CPU pool end. */
  private void release() {
    admission.release();
    if (pool != null && shutdown && admission.availablePermits() == capacity) {
      pool.shutdown();
    }
  }

  private void admit() {
    if (backpressure == Backpressure.REJECT) {
      if (!admission.tryAcquire()) {
        rejected.incrementAndGet();
        throw new RejectedTaskException(name, "maxConcurrency + queueCapacity", capacity);
      }
      return;
    }
    try {
      admission.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      rejected.incrementAndGet();
      throw RejectedTaskException.interrupted(name, "maxConcurrency + queueCapacity", capacity);
    }
  }

  private static final int NEW = 0; // Task.state: accepted, not started
  private static final int STARTED = 1; // claimed by Task.run: it runs
  private static final int WITHDRAWN = 2; // claimed by shutdownNow: returned, never runs
  private static final int REJECTED = 3; // claimed by execute: its hand-over failed, never runs
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Task.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * An accepted task: holds an admission permit until it finishes (or is returned unrun). Whoever
   * moves it out of {@code NEW} owns it: {@link #run()} runs it, {@link #shutdownNow()} returns it,
   * {@link #execute} rejects it; exactly one of them can. Only tracked tasks need the race: an
   * untracked one is in exactly one JDK queue, which hands it to a worker or to shutdownNow. A {@link ForkJoinTask} so that the CPU
   * executor's pool holds it as it is and {@link #shutdownNow()} can take it back out; the other
   * executors run it as a Runnable.
   */
  private final class Task extends ForkJoinTask<Void> implements Runnable {
    final Runnable command;
    final long submitted;
    volatile int state; // NEW, STARTED, WITHDRAWN or REJECTED; through STATE
    Thread runner; // tracked: the thread that runs it, written before holdsRunning or state
    volatile boolean holdsRunning; // virtual threads: it holds a permit of 'running'

    Task(Runnable command, long acceptedAt) {
      this.command = command;
      this.submitted = meters.length == 0 ? 0 : acceptedAt != 0 ? acceptedAt : System.nanoTime();
    }

    boolean claim(int owner) {
      return STATE.compareAndSet(this, NEW, owner);
    }

    @Override
    public Void getRawResult() {
      return null;
    }

    @Override
    protected void setRawResult(Void value) {
      // no result
    }

    /** In the CPU executor's pool: a failure of {@code execute}'s command goes where a thread's would. */
    @Override
    protected boolean exec() {
      try {
        run();
      } catch (Throwable failure) {
        Thread thread = Thread.currentThread();
        thread.getUncaughtExceptionHandler().uncaughtException(thread, failure);
      }
      return true;
    }

    @Override
    public void run() {
      ConcurrencyLimit.Permit permit = null;
      boolean interrupted = false;
      if (tracked) {
        runner = Thread.currentThread();
        // wait for the permits while nobody else claims the task; shutdownNow interrupts a wait
        // for the limit, but lets a wait for 'running' end as permits pass on (interrupting
        // thousands of threads queued on one semaphore costs time quadratic in their number)
        while (state == NEW && ((virtual && !holdsRunning) || (limit != null && permit == null))) {
          try {
            if (virtual && !holdsRunning) {
              running.acquire();
              holdsRunning = true;
            } else {
              permit = limit.acquire();
            }
          } catch (InterruptedException e) {
            interrupted = true; // shutdownNow claimed it (the loop ends), or keep it for later
          }
        }
        if (!claim(STARTED)) { // shutdownNow returned it, or execute rejected it
          if (permit != null) {
            permit.releaseUnused();
          }
          if (holdsRunning) {
            running.release();
          }
          return;
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      // untracked: no claim needed, a queue hands a task either to a worker or to shutdownNow
      ExecutorMeters[] m = meters;
      long start = m.length == 0 ? 0 : System.nanoTime();
      for (ExecutorMeters meter : m) {
        meter.idle(start - (submitted == 0 ? start : submitted));
      }
      active.incrementAndGet();
      Throwable failure = null;
      try {
        command.run();
      } catch (RuntimeException | Error e) {
        failure = e;
        throw e;
      } finally {
        if (tracked) {
          live.remove(this);
        }
        if (m.length != 0) {
          long ran = System.nanoTime() - start;
          for (ExecutorMeters meter : m) {
            meter.executed(ran);
          }
        }
        if (permit != null) {
          permit.release(failure != null ? failure : failureOf(command));
        }
        if (virtual) {
          running.release();
        }
        release();
        // after release: a task leaves "active" only once it no longer holds an admission, so
        // accepted - active never counts a finished task as queued
        active.decrementAndGet();
        completed.incrementAndGet(); // after release: a completed task no longer holds any place
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
   * the results in input order. Fail-fast: the first failure, whatever its position in the input,
   * is thrown unchanged as soon as it happens (it does not wait for slower calls before it); the
   * calls not yet finished are cancelled (running ones are interrupted) and nothing more is
   * submitted. At most {@link #maxConcurrency()} calls are submitted and not yet collected.
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
    inBacklog(items.size(), () -> forEachOrdered(items.iterator(), fn, maxConcurrency, results::add));
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
    inBacklog(items.size(), () -> forEachOrdered(items.iterator(), safe, maxConcurrency,
        outcome -> {
          if (outcome.error != null) {
            failures.put(index[0], outcome.error);
          }
          results.add(outcome.value);
          index[0]++;
        }));
    return new BulkResult<>(results, failures);
  }

  private record Outcome<R>(R value, Throwable error) {}

  /**
   * This executor's map/mapAll call on the calling thread: {when it took its items, items not yet
   * submitted}. Per executor, so another executor's tasks never inherit the time.
   */
  private final ThreadLocal<long[]> backlog = new ThreadLocal<>();

  /** The current map call's acceptance time on this thread, or 0. */
  private long acceptedAt() {
    long[] b = backlog.get();
    return b == null ? 0 : b[0];
  }

  /**
   * Runs a bulk call whose {@code size} items count in {@link #queuedCount()} until each is
   * submitted; the tasks' idle time starts now.
   */
  private void inBacklog(int size, Runnable bulk) {
    long[] previous = backlog.get();
    long[] mine = {System.nanoTime(), size};
    backlog.set(mine);
    callerBacklog.addAndGet(size);
    try {
      bulk.run();
    } finally {
      callerBacklog.addAndGet(-mine[1]); // what was never submitted (a failure stopped it)
      if (previous == null) {
        backlog.remove();
      } else {
        backlog.set(previous);
      }
    }
  }

  /** One item of the current bulk call is being submitted: it leaves the caller's backlog. */
  private void leaveBacklog() {
    long[] b = backlog.get();
    if (b != null && b[1] > 0) {
      b[1]--;
      callerBacklog.decrementAndGet();
    }
  }

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
    FailFast calls = FailFast.ordered();
    ArrayDeque<FailFast.Call<R>> window = new ArrayDeque<>(Math.min(maxInFlight, 1024));
    try {
      while (items.hasNext()) {
        if (window.size() >= maxInFlight) {
          sink.accept(calls.await(window.peekFirst()));
          window.pollFirst();
        }
        calls.throwIfFailed();
        T item = items.next();
        FailFast.Call<R> call = calls.call(() -> fn.apply(item));
        window.addLast(call);
        leaveBacklog();
        execute(call);
      }
      while (!window.isEmpty()) {
        sink.accept(calls.await(window.peekFirst()));
        window.pollFirst();
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
   * how many finished. Fail-fast as {@link #map}. At most {@link #maxConcurrency()} calls are
   * submitted and not yet finished. A timeout too long to count in nanoseconds (about 292 years)
   * means no deadline.
   *
   * @param items the inputs
   * @param fn the function
   * @param timeout the overall deadline, positive
   * @param <T> input type
   * @param <R> result type
   * @return the results, in input order
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public <T, R> List<R> map(Collection<? extends T> items, Function<? super T, ? extends R> fn,
      Duration timeout) {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive but was " + timeout);
    }
    long nanos = TaskTimer.nanos(timeout);
    boolean timed = nanos < Long.MAX_VALUE;
    long deadline = System.nanoTime() + (timed ? nanos : 0);
    FailFast calls = FailFast.counted();
    List<FailFast.Call<R>> submitted = new ArrayList<>(items.size());
    List<R> results = new ArrayList<>(items.size());
    try {
      for (T item : items) {
        if (!calls.awaitRoom(maxConcurrency, timed, deadline)) {
          throw new BulkTimeoutException(name, timeout, results.size(), items.size());
        }
        FailFast.Call<R> call = calls.call(() -> fn.apply(item));
        submitted.add(call);
        execute(call);
      }
      for (FailFast.Call<R> call : submitted) {
        if (!calls.awaitDone(call, timed, deadline)) {
          throw new BulkTimeoutException(name, timeout, results.size(), items.size());
        }
        results.add(call.result());
      }
      return results;
    } finally {
      if (results.size() < items.size()) {
        submitted.forEach(f -> f.cancel(true));
      }
    }
  }

  @Override
  public void shutdown() {
    shutdown = true;
    if (pool != null) {
      if (admission.availablePermits() == capacity) { // else the last task to finish does it
        pool.shutdown();
      }
    } else {
      delegate.shutdown();
    }
  }

  /**
   * Stops accepting tasks, returns every accepted task that has not started, and interrupts the
   * running ones. Each accepted task is either returned here or runs (it had started, or it was
   * being handed over at this moment), never both and never neither. For the CPU executor, a
   * subtask that a task forked inside the pool and that has not started is cancelled, as
   * {@link ForkJoinPool#shutdownNow()} would.
   *
   * @return the accepted tasks that will not run, as they were given to {@code execute} (or the
   *     futures {@code submit} made of them)
   */
  @Override
  public List<Runnable> shutdownNow() {
    List<Runnable> notRun = new ArrayList<>();
    shutdown = true; // accept nothing new; what was accepted runs unless we take it back below
    if (pool == null) {
      delegate.shutdown();
    }
    if (tracked) {
      List<Task> toWake = virtual ? new ArrayList<>() : null;
      for (Task task : live) { // first take back every task not started
        if (task.claim(WITHDRAWN)) {
          notRun.add(withdraw(task));
          if (virtual) {
            toWake.add(task);
          }
        } else if (virtual) {
          toWake.add(task);
        }
      }
      if (virtual) { // then interrupt: a task that ends now frees a place nothing unclaimed takes
        for (Task task : toWake) {
          if (task.state == STARTED || task.holdsRunning) { // running, or waiting for the limit
            task.runner.interrupt(); // set before either; its thread runs only this task
          }
        }
      }
    }
    if (pool != null) {
      for (ForkJoinTask<?> queued : pool.drainQueued()) {
        if (queued instanceof Task task) {
          if (task.claim(WITHDRAWN)) {
            notRun.add(withdraw(task));
          }
        } else {
          queued.cancel(false);
        }
      }
      pool.interruptWorkers(); // not pool.shutdownNow(): it would cancel a task that slipped in
      if (admission.availablePermits() == capacity) { // else the last task to finish does it
        pool.shutdown();
      }
    } else if (!virtual) {
      for (Runnable queued : delegate.shutdownNow()) { // interrupts the running tasks
        if (queued instanceof Task task) {
          if (task.claim(WITHDRAWN)) {
            notRun.add(withdraw(task));
          }
        } else {
          notRun.add(queued);
        }
      }
    }
    return notRun;
  }

  /** A task taken back before it started: gives back its place. */
  private Runnable withdraw(Task task) {
    if (tracked) {
      live.remove(task);
    }
    release();
    return task.command;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
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
