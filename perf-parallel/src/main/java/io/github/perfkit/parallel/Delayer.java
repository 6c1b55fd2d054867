package io.github.perfkit.parallel;

import java.time.Duration;

/**
 * Runs a task after a delay: how a {@link RequestBatcher} learns that its time window has elapsed.
 * The default uses a daemon scheduler thread; tests pass a manual one to drive time by hand.
 */
@FunctionalInterface
public interface Delayer {
  /**
   * Arranges for {@code task} to run once, about {@code delay} from now.
   *
   * @param task the task
   * @param delay how long to wait
   */
  void schedule(Runnable task, Duration delay);
}
