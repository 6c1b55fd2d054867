/**
 * perf-core: measure where time goes, compare, profile, guard and report. Start from the type for
 * your task; each is a small front door with static factories, and everything it returns is
 * immutable or thread-safe as its Javadoc says.
 *
 * <table>
 *   <caption>Which type to start from</caption>
 *   <tr><th>Task</th><th>Start from</th><th>Why this one</th></tr>
 *   <tr><td>measure one operation</td>
 *       <td>{@link io.github.perfkit.core.LatencyRecorder}</td>
 *       <td>a named, thread-safe HdrHistogram recorder: {@code time(...)} a call, read p50/p99/max
 *           from a {@link io.github.perfkit.core.LatencySnapshot snapshot}; every other perfkit
 *           module records into one, and {@link io.github.perfkit.core.PerfMetrics} binds it to
 *           Micrometer.</td></tr>
 *   <tr><td>measure a pipeline ("where is 80% of the time?")</td>
 *       <td>{@link io.github.perfkit.core.StageBreakdown}</td>
 *       <td>named, nestable stages ranked by self time with the 80% line, and CPU against wall
 *           time per stage, so you see which stage computes and which waits.</td></tr>
 *   <tr><td>compare two implementations</td>
 *       <td>{@link io.github.perfkit.core.Compare}</td>
 *       <td>warm-up, shuffled interleaved rounds and a verdict with a confidence interval and a
 *           p-value, so noise is not mistaken for a speedup.</td></tr>
 *   <tr><td>profile a section and learn why it is slow</td>
 *       <td>{@link io.github.perfkit.core.Profiler}</td>
 *       <td>in-process JFR: hot methods, a flame graph, memory, and a
 *           {@link io.github.perfkit.core.Diagnosis} (CPU-bound, waiting, GC pressure or lock
 *           contention) with the strategies that fit.</td></tr>
 *   <tr><td>guard against regressions in CI</td>
 *       <td>{@link io.github.perfkit.core.Baseline} and
 *           {@link io.github.perfkit.core.RegressionCheck}</td>
 *       <td>save a run once, check later runs (or JMH results) against it with the noise taken
 *           into account; {@link io.github.perfkit.core.cli.RegressionCheckCli} does it from the
 *           command line.</td></tr>
 *   <tr><td>report</td>
 *       <td>{@link io.github.perfkit.core.PerfReport}</td>
 *       <td>one model of profiles, breakdowns, comparisons, checks and recorders, rendered as
 *           text, Markdown, JSON or one self-contained HTML page. Every result also renders itself
 *           with {@code text()}, {@code markdown()} and {@code json()}.</td></tr>
 * </table>
 *
 * <p>Percentiles are given on one scale everywhere, 0 to 100 ({@code percentile(99.9)}), as in
 * HdrHistogram and Micrometer. Timing code reads a {@link io.github.perfkit.core.Ticker}
 * ({@code System.nanoTime()} unless a test injects another). The {@code internal} package is
 * perfkit's implementation, shared with its other modules, with no compatibility promise.
 */
package io.github.perfkit.core;
