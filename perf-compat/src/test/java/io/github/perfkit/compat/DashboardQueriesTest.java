package io.github.perfkit.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public Grafana dashboards users import (in {@code ../shared/dashboards}, with their sources)
 * must find every metric and label they query for caches and HikariCP in perfkit's scrape, as they
 * do in the scrape of Micrometer's own binders on the same workload; and {@code histogram_quantile}
 * over perfkit's buckets must give a finite value close to the recorder's p99.
 */
class DashboardQueriesTest {

  /** Labels a Prometheus server or Kubernetes adds to a target; no application sets them. */
  private static final Set<String> TARGET_LABELS = Set.of("instance", "job", "namespace", "pod");
  private static final Pattern SELECTOR = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)");
  private static final Pattern BY = Pattern.compile("by\\s*\\(([^)]*)\\)");

  static String scrape;
  static EveryMeter workload;

  @BeforeAll
  static void run() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("application", "compat");
    workload = new EveryMeter(registry);
    scrape = registry.scrape();
    workload.close();
  }

  static Path dashboards() {
    for (Path p : List.of(Path.of("../../shared/dashboards"), Path.of("../shared/dashboards"))) {
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new AssertionError("../shared/dashboards not found beside the checkout");
  }

  /** Metric name to the labels the dashboards use on it, for metrics matching {@code prefix}. */
  static Map<String, Set<String>> queried(String file, String prefix) throws IOException {
    String json = Files.readString(dashboards().resolve(file));
    Map<String, Set<String>> used = new TreeMap<>();
    Matcher expr = Pattern.compile("\"(?:expr|query)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
        .matcher(json);
    while (expr.find()) {
      String q = expr.group(1).replace("\\\"", "\"");
      Set<String> grouped = new LinkedHashSet<>();
      Matcher by = BY.matcher(q);
      while (by.find()) {
        for (String l : by.group(1).split(",")) {
          grouped.add(l.trim());
        }
      }
      Matcher m = SELECTOR.matcher(q);
      while (m.find()) {
        String metric = m.group(1);
        if (!metric.startsWith(prefix)) {
          continue;
        }
        Set<String> labels = used.computeIfAbsent(metric, k -> new TreeSet<>());
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.add(l.group(1));
        }
        labels.addAll(grouped);
        // label_values(metric{...}, label): the second argument is a label too
        Matcher lv = Pattern.compile("label_values\\(" + Pattern.quote(metric)
            + "\\{[^}]*}\\s*,\\s*([a-zA-Z_]+)\\)").matcher(q);
        while (lv.find()) {
          labels.add(lv.group(1));
        }
      }
    }
    used.values().forEach(s -> s.removeAll(TARGET_LABELS));
    return used;
  }

  /** Label sets of each series of {@code metric} in the scrape, keyed by the {@code key} label. */
  static List<Map<String, String>> series(String metric) {
    List<Map<String, String>> all = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)} ").matcher(scrape);
    while (m.find()) {
      Map<String, String> labels = new HashMap<>();
      Matcher l = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"").matcher(m.group(1));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      all.add(labels);
    }
    return all;
  }

  @Test
  void theSpringBootCachesDashboardFindsPerfkitsCacheLikeBootsOwn() throws IOException {
    Map<String, Set<String>> used = queried("spring-boot-caches_20784.json", "cache_");
    assertThat(used).containsKeys("cache_gets_total", "cache_puts_total", "cache_evictions_total");
    for (Map.Entry<String, Set<String>> e : used.entrySet()) {
      List<Map<String, String>> perfkit = series(e.getKey()).stream()
          .filter(s -> "users".equals(s.get("cache"))).toList();
      List<Map<String, String>> reference = series(e.getKey()).stream()
          .filter(s -> "books".equals(s.get("cache"))).toList();
      assertThat(reference).as("Micrometer's own " + e.getKey()).isNotEmpty();
      assertThat(perfkit).as("perfkit's " + e.getKey()).isNotEmpty();
      for (Map<String, String> s : perfkit) {
        assertThat(s.keySet()).as(e.getKey()).containsAll(e.getValue());
      }
      for (Map<String, String> s : reference) {
        assertThat(s.keySet()).as(e.getKey()).containsAll(e.getValue());
      }
    }
  }

  @Test
  void theSpringBootStatisticsDashboardFindsHikarisMetersThroughTimedDataSource()
      throws IOException {
    Map<String, Set<String>> used = queried("spring-boot-statistics_6756.json", "hikaricp_");
    assertThat(used).containsKeys("hikaricp_connections_active", "hikaricp_connections");
    for (Map.Entry<String, Set<String>> e : used.entrySet()) {
      List<Map<String, String>> s = series(e.getKey());
      assertThat(s).as(e.getKey()).isNotEmpty();
      assertThat(s.get(0).keySet()).as(e.getKey()).containsAll(e.getValue());
      assertThat(s.get(0)).containsEntry("pool", "compat");
    }
  }

  @Test
  void histogramQuantileOverPerfkitsBucketsIsFiniteAndCloseToTheRecordersP99() {
    // The buckets of recorder 'fetch': 1,000 durations from 0.1 ms to 100 ms, uniform.
    TreeMap<Double, Double> buckets = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^perfkit_latency_histogram_total\\{([^}]*)} (\\S+)")
        .matcher(scrape);
    while (m.find()) {
      if (!m.group(1).contains("name=\"fetch\"")) {
        continue;
      }
      Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(m.group(1));
      assertThat(le.find()).isTrue();
      double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY
          : Double.parseDouble(le.group(1));
      buckets.put(bound, Double.parseDouble(m.group(2)));
    }
    assertThat(buckets).containsKey(Double.POSITIVE_INFINITY);
    double estimate = histogramQuantile(0.99, buckets);
    double p99 = workload.fetch.snapshot().p99().toNanos() / 1e9;
    assertThat(estimate).isFinite();
    assertThat(estimate).isCloseTo(p99, within(p99 * 0.05));
  }

  /** Prometheus' histogram_quantile: linear interpolation inside the bucket holding the rank. */
  static double histogramQuantile(double q, TreeMap<Double, Double> cumulative) {
    if (!cumulative.containsKey(Double.POSITIVE_INFINITY)) {
      return Double.NaN;
    }
    double total = cumulative.get(Double.POSITIVE_INFINITY);
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
      if (b.getValue() >= rank) {
        if (b.getKey().isInfinite()) {
          return lowerBound; // Prometheus returns the highest finite bound
        }
        double inBucket = b.getValue() - lowerCount;
        return lowerBound + (b.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
      }
      lowerBound = b.getKey();
      lowerCount = b.getValue();
    }
    return Double.NaN;
  }
}
