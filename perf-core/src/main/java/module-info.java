/**
 * perfkit core: recorders, stage breakdowns, the JFR profiler and its diagnosis, the compare
 * harness, baselines and reports. See the package {@link io.github.perfkit.core} for where to start.
 */
module io.github.perfkit.core {
  requires transitive micrometer.core;
  requires java.management;
  requires jdk.management;
  requires jdk.jfr;
  // HdrHistogram 2.2.2 declares no module name; "HdrHistogram" is derived from its file name, and
  // stays the same across its versions (Micrometer, an automatic module, reads it the same way)
  requires transitive HdrHistogram; // LatencySnapshot.histogram() returns its Histogram

  exports io.github.perfkit.core;
  exports io.github.perfkit.core.internal to
      io.github.perfkit.junit,
      io.github.perfkit.cache,
      io.github.perfkit.cache.redis,
      io.github.perfkit.parallel,
      io.github.perfkit.parallel.redis,
      io.github.perfkit.jdbc,
      io.github.perfkit.spring.boot;
}
