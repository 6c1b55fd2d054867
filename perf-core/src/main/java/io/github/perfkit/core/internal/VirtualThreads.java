package io.github.perfkit.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads when the running JVM has them (Java 21+), detected at run time so that perfkit
 * compiles and runs on Java 17.
 *
 * <pre>{@code
 * ThreadFactory factory = VirtualThreads.factory("fetch-")
 *     .orElseGet(() -> Executors.defaultThreadFactory());
 * }</pre>
 *
 * <p>Detection happens once, when this class initializes, through method handles on
 * {@code Thread.ofVirtual()}; a call afterwards costs one static field read. This class is stateless
 * and thread-safe.
 */
public final class VirtualThreads {

  private static final MethodHandle OF_VIRTUAL; // () -> Thread.Builder.OfVirtual
  private static final MethodHandle NAME;       // (OfVirtual, String, long) -> OfVirtual
  private static final MethodHandle FACTORY;    // (Thread.Builder) -> ThreadFactory
  private static final MethodHandle IS_VIRTUAL; // (Thread) -> boolean
  private static final MethodHandle PER_TASK;   // (ThreadFactory) -> ExecutorService

  static {
    MethodHandle ofVirtual = null;
    MethodHandle name = null;
    MethodHandle factory = null;
    MethodHandle isVirtual = null;
    MethodHandle perTask = null;
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtualType = Class.forName("java.lang.Thread$Builder$OfVirtual");
      ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualType));
      name = lookup.findVirtual(ofVirtualType, "name",
          MethodType.methodType(ofVirtualType, String.class, long.class));
      factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
      isVirtual = lookup.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
      perTask = lookup.findStatic(java.util.concurrent.Executors.class, "newThreadPerTaskExecutor",
          MethodType.methodType(ExecutorService.class, ThreadFactory.class));
      // Java 19/20 had them as a preview feature: only a runnable builder counts.
      Object probe = ofVirtual.invoke();
      Objects.requireNonNull(probe);
    } catch (Throwable unavailable) {
      ofVirtual = null;
      name = null;
      factory = null;
      isVirtual = null;
      perTask = null;
    }
    OF_VIRTUAL = ofVirtual;
    NAME = name;
    FACTORY = factory;
    IS_VIRTUAL = isVirtual;
    PER_TASK = perTask;
  }

  private VirtualThreads() {}

  /**
   * Whether this JVM can create virtual threads.
   *
   * @return {@code true} on Java 21 and later (and on 19/20 with {@code --enable-preview})
   */
  public static boolean isSupported() {
    return OF_VIRTUAL != null;
  }

  /**
   * A factory of virtual threads named {@code prefix + counter}, when the JVM supports them.
   *
   * @param namePrefix prefix of each thread's name, for thread dumps and profiles
   * @return the factory, or empty on a JVM without virtual threads
   * @throws NullPointerException if {@code namePrefix} is null
   */
  public static Optional<ThreadFactory> factory(String namePrefix) {
    Objects.requireNonNull(namePrefix, "namePrefix");
    if (!isSupported()) {
      return Optional.empty();
    }
    try {
      Object builder = NAME.invoke(OF_VIRTUAL.invoke(), namePrefix, 0L);
      return Optional.of((ThreadFactory) FACTORY.invoke(builder));
    } catch (Throwable t) {
      throw new IllegalStateException("virtual thread factory could not be created", t);
    }
  }

  /**
   * An executor that starts one virtual thread per task, when the JVM supports them. The executor is
   * unbounded: bound concurrency yourself (perf-parallel's I/O executor does).
   *
   * @param namePrefix prefix of each thread's name
   * @return the executor, or empty on a JVM without virtual threads
   * @throws NullPointerException if {@code namePrefix} is null
   */
  public static Optional<ExecutorService> newThreadPerTaskExecutor(String namePrefix) {
    return factory(namePrefix).map(f -> {
      try {
        return (ExecutorService) PER_TASK.invoke(f);
      } catch (Throwable t) {
        throw new IllegalStateException("virtual thread executor could not be created", t);
      }
    });
  }

  /**
   * Whether {@code thread} is a virtual thread.
   *
   * @param thread the thread to test
   * @return {@code false} on a JVM without virtual threads
   * @throws NullPointerException if {@code thread} is null
   */
  public static boolean isVirtual(Thread thread) {
    Objects.requireNonNull(thread, "thread");
    if (IS_VIRTUAL == null) {
      return false;
    }
    try {
      return (boolean) IS_VIRTUAL.invoke(thread);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
