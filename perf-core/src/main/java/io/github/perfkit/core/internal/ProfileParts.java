package io.github.perfkit.core.internal;

import io.github.perfkit.core.Diagnosis;
import io.github.perfkit.core.MemoryProfile;
import io.github.perfkit.core.Profile;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link ProfileSession} measured, from which the API package builds a {@code Profile} and its
 * {@code FlameGraph} (their constructors are not public). Immutable.
 *
 * @param name the profile's name
 * @param sampling the section's wall time and the sample counts
 * @param topSelf hottest methods by self samples
 * @param topCumulative hottest methods by cumulative samples
 * @param threads the threads of the section, most samples first
 * @param memory the memory figures
 * @param diagnosis the diagnosis
 * @param flame the merged call tree
 */
public record ProfileParts(String name, Sampling sampling, List<Profile.MethodShare> topSelf,
    List<Profile.MethodShare> topCumulative, List<Profile.ThreadProfile> threads,
    MemoryProfile memory, Diagnosis diagnosis, Flame flame) {

  /** Validates and copies. */
  public ProfileParts {
    Require.notNull(name, "name");
    Require.notNull(sampling, "sampling");
    topSelf = List.copyOf(topSelf);
    topCumulative = List.copyOf(topCumulative);
    threads = List.copyOf(threads);
    Require.notNull(memory, "memory");
    Require.notNull(diagnosis, "diagnosis");
    Require.notNull(flame, "flame");
  }

  /**
   * The section's time and samples.
   *
   * @param wallNanos the section's wall time
   * @param period the sampling period used
   * @param samples execution samples in scope (native ones included)
   * @param nativeSamples of those, samples of threads inside a native method
   * @param truncatedStacks samples whose stack was cut at JFR's stack depth
   */
  public record Sampling(long wallNanos, Duration period, long samples, long nativeSamples,
      long truncatedStacks) {

    /** Validates. */
    public Sampling {
      Require.notNull(period, "period");
    }
  }

  /**
   * The merged call tree.
   *
   * @param folded folded stacks
   * @param treeJson the tree as JSON ({@code {"n","v","c"}})
   * @param self self samples per method
   * @param cumulative cumulative samples per method
   */
  public record Flame(String folded, String treeJson, Map<String, Long> self,
      Map<String, Long> cumulative) {

    /** Validates and copies. */
    public Flame {
      Require.notNull(folded, "folded");
      Require.notNull(treeJson, "treeJson");
      self = Map.copyOf(self);
      cumulative = Map.copyOf(cumulative);
    }
  }
}
