package io.github.perfkit.parallel;

import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import io.github.perfkit.core.internal.VirtualThreads;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Coalesces single calls made concurrently, such as {@code fetch(id)}, into one batch call
 * {@code fetchAll(ids)}: a batch is sent when it holds {@code maxBatchSize} keys or
 * {@code maxDelay} after its first key arrived, whichever comes first. Each caller gets its own
 * result or its own error; a key asked twice in one window is loaded once.
 *
 * <pre>{@code
 * RequestBatcher<Long, User> users = RequestBatcher.builder("users", userClient::fetchAll)
 *     .maxBatchSize(100).maxDelay(Duration.ofMillis(5)).build();
 * User u = users.get(42L);                      // joins whatever batch is forming
 * }</pre>
 *
 * <p><b>Cost:</b> a caller waits up to {@code maxDelay} longer than a single call would; in exchange
 * N calls cost one round trip. Batches run on the batcher's executor (virtual threads on Java 21+).
 *
 * <p>Thread-safe: adding a key takes a short lock. {@link #close()} sends what is pending and waits
 * for the batches in flight, so no accepted request is lost.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class RequestBatcher<K, V> implements AutoCloseable {

  private final String name;
  private final BatchLoader<K, V> loader;
  private final int maxBatchSize;
  private final Duration maxDelay;
  private final Delayer delayer;
  private final Executor executor;
  private final ScheduledExecutorService ownScheduler;
  private final ExecutorService ownExecutor;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong coalesced = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private Map<K, CompletableFuture<V>> pending; // guarded by this
  private long generation; // guarded by this: which pending batch a timer belongs to
  private boolean closed; // guarded by this

  private RequestBatcher(Builder<K, V> b) {
    this.name = b.name;
    this.loader = b.loader;
    this.maxBatchSize = b.maxBatchSize;
    this.maxDelay = b.maxDelay;
    if (b.delayer != null) {
      this.delayer = b.delayer;
      this.ownScheduler = null;
    } else {
      this.ownScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, name + "-batch-timer");
        t.setDaemon(true);
        return t;
      });
      this.delayer = (task, delay) -> ownScheduler.schedule(task, delay.toNanos(),
          TimeUnit.NANOSECONDS);
    }
    if (b.executor != null) {
      this.executor = b.executor;
      this.ownExecutor = null;
    } else {
      this.ownExecutor = VirtualThreads.newThreadPerTaskExecutor(name + "-batch-")
          .orElseGet(() -> Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-batch");
            t.setDaemon(true);
            return t;
          }));
      this.executor = ownExecutor;
    }
  }

  /**
   * Starts a builder.
   *
   * @param name for thread names, metrics and errors
   * @param loader the batch call
   * @param <K> key type
   * @param <V> value type
   * @return a builder
   */
  public static <K, V> Builder<K, V> builder(String name, BatchLoader<K, V> loader) {
    Require.notBlank(name, "name");
    return new Builder<>(name, Require.notNull(loader, "loader"));
  }

  /**
   * Asks for one key; the answer arrives with its batch.
   *
   * @param key the key
   * @return the key's value ({@code null} never: a missing value fails with
   *     {@link MissingResultException})
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalStateException if the batcher is closed
   */
  public CompletableFuture<V> load(K key) {
    Objects.requireNonNull(key, "key");
    Map<K, CompletableFuture<V>> full = null;
    CompletableFuture<V> future;
    long scheduleFor = -1;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("batcher '" + name + "' is closed");
      }
      requests.incrementAndGet();
      if (pending == null) {
        pending = new LinkedHashMap<>();
        scheduleFor = ++generation;
      }
      future = pending.get(key);
      if (future != null) {
        coalesced.incrementAndGet();
        return future;
      }
      future = new CompletableFuture<>();
      pending.put(key, future);
      if (pending.size() >= maxBatchSize) {
        full = pending;
        pending = null;
      }
    }
    if (scheduleFor >= 0 && full == null) {
      long batch = scheduleFor;
      delayer.schedule(() -> flush(batch), maxDelay);
    }
    if (full != null) {
      dispatch(full);
    }
    return future;
  }

  /**
   * Asks for one key and waits for it.
   *
   * @param key the key
   * @return the value
   * @throws RuntimeException the batch call's exception (unchecked ones unchanged; checked ones
   *     wrapped in {@link CompletionException}) or {@link MissingResultException}
   */
  public V get(K key) {
    try {
      return load(key).get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new CompletionException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  private void flush(long batch) {
    Map<K, CompletableFuture<V>> due;
    synchronized (this) {
      if (pending == null || generation != batch) {
        return; // that batch already left on the size trigger
      }
      due = pending;
      pending = null;
    }
    dispatch(due);
  }

  private void dispatch(Map<K, CompletableFuture<V>> batch) {
    batches.incrementAndGet();
    inFlight.incrementAndGet();
    try {
      executor.execute(() -> run(batch));
    } catch (RuntimeException rejected) {
      run(batch); // the executor is gone: answer on this thread rather than lose the requests
    }
  }

  private void run(Map<K, CompletableFuture<V>> batch) {
    try {
      Map<K, V> values = loader.loadAll(Collections.unmodifiableSet(batch.keySet()));
      for (Map.Entry<K, CompletableFuture<V>> e : batch.entrySet()) {
        V value = values == null ? null : values.get(e.getKey());
        if (value != null) {
          e.getValue().complete(value);
        } else {
          e.getValue().completeExceptionally(new MissingResultException(name, batch.size()));
        }
      }
    } catch (Throwable t) {
      batch.values().forEach(f -> f.completeExceptionally(t));
    } finally {
      synchronized (this) {
        inFlight.decrementAndGet();
        notifyAll();
      }
    }
  }

  /** @return batch calls made */
  public long batchCount() {
    return batches.get();
  }

  /** @return keys asked for, duplicates included */
  public long requestCount() {
    return requests.get();
  }

  /** @return requests answered by a key already pending in the same window */
  public long coalescedCount() {
    return coalesced.get();
  }

  /** Sends what is pending now, waits for every batch in flight, then stops the batcher's threads. */
  @Override
  public void close() {
    Map<K, CompletableFuture<V>> due;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      due = pending;
      pending = null;
    }
    if (due != null) {
      dispatch(due);
    }
    synchronized (this) {
      boolean interrupted = false;
      while (inFlight.get() > 0) {
        try {
          wait(100);
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (ownScheduler != null) {
      ownScheduler.shutdownNow();
    }
    if (ownExecutor != null) {
      ownExecutor.shutdown();
    }
  }

  /**
   * Settings of a {@link RequestBatcher}. Each setting may be set once (a second call throws
   * {@link IllegalStateException} naming it); a bad argument fails in its setter, naming the
   * parameter. Not thread-safe; each {@link #build()} makes a new batcher from a copy of the
   * settings, so reusing the builder never changes a batcher built before.
   *
   * @param <K> key type
   * @param <V> value type
   */
  public static final class Builder<K, V> {
    private final String name;
    private final BatchLoader<K, V> loader;
    private int maxBatchSize = 100;
    private Duration maxDelay = Duration.ofMillis(5);
    private Delayer delayer;
    private Executor executor;
    private final SetOnce set = new SetOnce();

    private Builder(String name, BatchLoader<K, V> loader) {
      this.name = name;
      this.loader = loader;
    }

    /**
     * Send a batch as soon as it holds this many distinct keys (default 100).
     *
     * @param maxBatchSize {@code >= 1}
     * @return this builder
     */
    public Builder<K, V> maxBatchSize(int maxBatchSize) {
      Require.positive(maxBatchSize, "maxBatchSize");
      set.mark("maxBatchSize");
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /**
     * Send a batch at the latest this long after its first key arrived (default 5 ms).
     *
     * @param maxDelay positive
     * @return this builder
     */
    public Builder<K, V> maxDelay(Duration maxDelay) {
      Require.positive(maxDelay, "maxDelay");
      set.mark("maxDelay");
      this.maxDelay = maxDelay;
      return this;
    }

    /**
     * How the time window is measured (tests pass a manual delayer).
     *
     * @param delayer the delayer
     * @return this builder
     */
    public Builder<K, V> delayer(Delayer delayer) {
      Require.notNull(delayer, "delayer");
      set.mark("delayer");
      this.delayer = delayer;
      return this;
    }

    /**
     * Where batch calls run (default: a virtual thread per batch on Java 21+, else a daemon pool).
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder<K, V> executor(Executor executor) {
      Require.notNull(executor, "executor");
      set.mark("executor");
      this.executor = executor;
      return this;
    }

    /**
     * Creates the batcher.
     *
     * @return a new batcher; close it when done
     */
    public RequestBatcher<K, V> build() {
      return new RequestBatcher<>(this);
    }
  }
}
