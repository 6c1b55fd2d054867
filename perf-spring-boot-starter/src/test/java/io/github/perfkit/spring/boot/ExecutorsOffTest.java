package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.parallel.BoundedExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code perfkit.executors-enabled=false}: no perfkit executors, Boot's executor and @Async work. */
@SpringBootTest(classes = StarterApp.class, properties = {"perfkit.executors-enabled=false",
    "perfkit.executors.fetch.kind=io"})
class ExecutorsOffTest {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    Postgres.into(registry);
  }

  @Autowired ApplicationContext context;
  @Autowired StarterApp.Jobs jobs;

  @Test
  void onlyBootsExecutor() throws Exception {
    assertThat(context.getBeansOfType(BoundedExecutor.class)).isEmpty();
    assertThat(context.getBean("applicationTaskExecutor"))
        .isInstanceOf(ThreadPoolTaskExecutor.class);
    assertThat(jobs.threadName().get()).startsWith("task-");
  }
}
