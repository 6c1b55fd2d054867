package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.parallel.BoundedExecutor;
import io.github.perfkit.parallel.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * {@code perfkit.executors.fetch.kind=io}, {@code max-concurrency=100}: a BoundedExecutor bean with
 * its meters, while Boot's {@code applicationTaskExecutor} and {@code @Async} keep working.
 */
class ExecutorsTest extends StarterTestBase {

  @Autowired TestRestTemplate http;
  @Autowired ApplicationContext context;
  @Autowired @Qualifier("fetch") BoundedExecutor fetch;
  @Autowired StarterApp.Jobs jobs;

  @Test
  void executorsFromPropertiesAreBeansWithMetrics() {
    assertThat(fetch.name()).isEqualTo("fetch");
    assertThat(fetch.workload()).isEqualTo(Workload.IO_BOUND);
    assertThat(fetch.maxConcurrency()).isEqualTo(100);
    assertThat(context.getBean("fetchExecutor")).isSameAs(fetch);
    BoundedExecutor crunch = context.getBean("crunchExecutor", BoundedExecutor.class);
    assertThat(crunch.workload()).isEqualTo(Workload.CPU_BOUND);

    assertThat(fetch.map(List.of(1, 2, 3), x -> x * 2)).containsExactly(2, 4, 6);
    String scrape = http.getForObject("/actuator/prometheus", String.class);
    assertThat(scrape).contains("executor_completed_tasks_total{name=\"fetch\"}")
        .contains("executor_completed_tasks_total{name=\"crunch\"}");
  }

  @Test
  void bootsApplicationTaskExecutorAndAsyncKeepWorking() throws Exception {
    assertThat(context.getBean("applicationTaskExecutor"))
        .isInstanceOf(ThreadPoolTaskExecutor.class);
    assertThat(jobs.threadName().get()).startsWith("task-");
    String scrape = http.getForObject("/actuator/prometheus", String.class);
    assertThat(scrape).contains("executor_completed_tasks_total{name=\"applicationTaskExecutor\"}");
  }
}
