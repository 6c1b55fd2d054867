/**
 * perf-core's command-line tools: {@link io.github.perfkit.core.cli.RegressionCheckCli} checks a run
 * against a baseline in CI. Each class is a {@code main}; the library API lives in
 * {@code io.github.perfkit.core}.
 */
package io.github.perfkit.core.cli;
