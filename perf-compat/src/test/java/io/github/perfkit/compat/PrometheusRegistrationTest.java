package io.github.perfkit.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every perfkit meter registers in a real {@link PrometheusMeterRegistry} without a registration
 * failure, on the Micrometer this module runs on (Spring Boot 3.5's 1.15 by default; CI repeats it on
 * 1.16 and the project's version), and every meter name keeps one set of tag keys.
 */
class PrometheusRegistrationTest {

  @Test
  void everyPerfkitMeterRegistersWithoutFailureBesideMicrometersOwn() throws Exception {
    List<String> failures = new CopyOnWriteArrayList<>();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("application", "compat"); // as Spring Boot's common tags do
    registry.config().onMeterRegistrationFailed((id, reason) -> failures.add(id.getName() + " "
        + id.getTags() + ": " + reason));
    try (EveryMeter workload = new EveryMeter(registry)) {
      String scrape = registry.scrape();
      System.out.println("Micrometer " + io.micrometer.core.instrument.Meter.class.getPackage()
          .getImplementationVersion() + ", " + registry.getMeters().size() + " meters");
      assertThat(failures).isEmpty();
      Map<String, Set<Set<String>>> keySets = new TreeMap<>();
      for (Meter m : registry.getMeters()) {
        keySets.computeIfAbsent(m.getId().getName(),
                n -> new TreeSet<>(java.util.Comparator.comparing(Object::toString)))
            .add(m.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toCollection(
                TreeSet::new)));
      }
      assertThat(keySets.entrySet().stream().filter(e -> e.getValue().size() > 1)
          .map(e -> e.getKey() + " " + e.getValue()).toList()).isEmpty();
      // every family the workload made is in the scrape
      assertThat(scrape).contains("perfkit_latency_seconds_count{application=\"compat\",name=\"fetch\"")
          .contains("perfkit_stage_seconds_count").contains("cache_gets_total")
          .contains("perfkit_cache_load_seconds_count").contains("executor_active_threads")
          .contains("hikaricp_connections")
          .contains("perfkit_jdbc_statement_seconds_count{application=\"compat\",datasource=\"compat\"")
          .contains("perfkit_jdbc_rows_read_total{application=\"compat\",datasource=\"compat\","
              + "shape=\"SELECT name FROM t WHERE id = ?\"} 1.0")
          .contains("perfkit_cache_l2_gets_total");
    }
  }
}
