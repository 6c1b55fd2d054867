package io.github.perfkit.spring.boot;

import io.github.perfkit.parallel.Backpressure;

/**
 * {@code perfkit.executors.<name>.*}: one executor declared through properties, which becomes a
 * {@link io.github.perfkit.parallel.BoundedExecutor} bean named {@code <name>Executor} (qualifier
 * {@code <name>}) with its meters. Unset settings keep {@link io.github.perfkit.parallel.Parallel}'s
 * defaults. Mutable, as Spring binds it; read once at start-up.
 */
public class PerfkitExecutorProperties {

  /** What the executor's tasks wait on. */
  public enum Kind {
    /** Tasks that wait (calls, queries): {@code Parallel.io}, on virtual threads where they exist. */
    IO,
    /** Tasks that compute: {@code Parallel.cpu}, on platform threads. */
    CPU
  }

  /** io (the default) or cpu. */
  private Kind kind = Kind.IO;

  /** At most this many tasks run at once (io default 64, cpu default the number of cores). */
  private Integer maxConcurrency;

  /** At most this many tasks wait for a slot; 0 for none waiting. */
  private Integer queueCapacity;

  /** What a saturated executor does with one more task: reject or block. */
  private Backpressure backpressure;

  /** Run io tasks on platform threads even where virtual threads exist. */
  private boolean platformThreads;

  /** @return the kind */
  public Kind getKind() {
    return kind;
  }

  /** @param kind the kind */
  public void setKind(Kind kind) {
    this.kind = kind;
  }

  /** @return the concurrency limit, or null for the default */
  public Integer getMaxConcurrency() {
    return maxConcurrency;
  }

  /** @param maxConcurrency the concurrency limit */
  public void setMaxConcurrency(Integer maxConcurrency) {
    this.maxConcurrency = maxConcurrency;
  }

  /** @return the queue capacity, or null for the default */
  public Integer getQueueCapacity() {
    return queueCapacity;
  }

  /** @param queueCapacity the queue capacity */
  public void setQueueCapacity(Integer queueCapacity) {
    this.queueCapacity = queueCapacity;
  }

  /** @return the backpressure, or null for the default */
  public Backpressure getBackpressure() {
    return backpressure;
  }

  /** @param backpressure the backpressure */
  public void setBackpressure(Backpressure backpressure) {
    this.backpressure = backpressure;
  }

  /** @return whether io tasks use platform threads */
  public boolean isPlatformThreads() {
    return platformThreads;
  }

  /** @param platformThreads whether io tasks use platform threads */
  public void setPlatformThreads(boolean platformThreads) {
    this.platformThreads = platformThreads;
  }
}
