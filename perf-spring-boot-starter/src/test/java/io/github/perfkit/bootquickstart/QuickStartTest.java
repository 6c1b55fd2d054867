package io.github.perfkit.bootquickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.testkit.LoopbackServices;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** README's Spring Boot quick start runs as shown, with README's application.properties. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = QuickStartApp.class, properties = {
        // README: application.properties
        "perfkit.cache.specs.users=maximumSize=10000,expireAfterWrite=10m",
        "perfkit.cache.default-spec=maximumSize=1000",
        "perfkit.executors.fetch.kind=io",
        "perfkit.executors.fetch.max-concurrency=100",
        "management.endpoints.web.exposure.include=health,caches,metrics,perfkit"})
@AutoConfigureObservability
class QuickStartTest {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    LoopbackServices.Service pg = LoopbackServices.postgres();
    registry.add("spring.datasource.url", pg::jdbcUrl);
    registry.add("spring.datasource.username", pg::user);
    registry.add("spring.datasource.password", pg::password);
  }

  @Autowired TestRestTemplate http;
  @Autowired QuickStartApp.Users users;
  @Autowired QuickStartApp.Prices prices;

  @Test
  void theQuickStartWorksAsWritten() {
    users.find(42);
    users.find(42);
    assertThat(prices.all(List.of(1, 2))).containsExactly(100, 200);
    assertThat(http.getForObject("/actuator/perfkit", String.class))
        .contains("\"name\":\"users\"").contains("\"name\":\"fetch\"")
        .contains("\"maxConcurrency\":100");
    assertThat(http.getForObject("/actuator/metrics/cache.gets?tag=cache:users&tag=result:hit",
        String.class)).contains("\"value\":1.0");
  }
}
