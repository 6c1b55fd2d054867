package io.github.perfkit.parallel.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPU executor's {@link ForkJoinPool}, with what its {@code shutdownNow} lacks:
 * {@link ForkJoinPool#shutdownNow()} cancels every queued task and returns an empty list, so the tasks
 * are neither run nor handed back. This pool instead lets its owner take the queued tasks out
 * ({@link #drainQueued()}) and interrupt the threads running the others ({@link #interruptWorkers()})
 * after a plain {@link #shutdown()}, which still runs anything that was accepted and not taken out.
 *
 * <p>Thread-safe. Costs nothing per task: workers register themselves once, when they start.
 */
public final class WorkStealingPool extends ForkJoinPool {

  private final Set<Thread> workers;

  private WorkStealingPool(int parallelism, String name, Set<Thread> workers) {
    super(parallelism, factory(name, workers), null, false);
    this.workers = workers;
  }

  /**
   * Creates a pool.
   *
   * @param name thread names are {@code name-0}, {@code name-1}, ...
   * @param parallelism between 1 and 32767 (ForkJoinPool's limit)
   * @return a new pool
   */
  public static WorkStealingPool create(String name, int parallelism) {
    return new WorkStealingPool(parallelism, name, ConcurrentHashMap.newKeySet());
  }

  private static ForkJoinWorkerThreadFactory factory(String name, Set<Thread> workers) {
    AtomicInteger n = new AtomicInteger();
    return pool -> {
      Worker worker = new Worker(pool, workers);
      worker.setName(name + "-" + n.getAndIncrement());
      worker.setDaemon(true);
      return worker;
    };
  }

  /**
   * Removes every task still queued (submitted or forked) without running it. Call it after
   * {@link #shutdown()}: a task a worker took first runs; one submitted while this runs may be left
   * queued, and then runs as well. Either way each task is run or returned, never both or neither.
   *
   * @return the tasks removed, each never started
   */
  public List<ForkJoinTask<?>> drainQueued() {
    List<ForkJoinTask<?>> drained = new ArrayList<>();
    drainTasksTo(drained); // polls every queue until all are empty
    return drained;
  }

  /** Interrupts every live worker thread, so that the tasks they run can stop. */
  public void interruptWorkers() {
    for (Thread worker : workers) {
      worker.interrupt();
    }
  }

  /** A worker that the pool can find again to interrupt it. */
  private static final class Worker extends ForkJoinWorkerThread {
    private final Set<Thread> workers;

    Worker(ForkJoinPool pool, Set<Thread> workers) {
      super(pool);
      this.workers = workers;
    }

    @Override
    protected void onStart() {
      super.onStart();
      workers.add(this);
    }

    @Override
    protected void onTermination(Throwable exception) {
      workers.remove(this);
      super.onTermination(exception);
    }
  }
}
