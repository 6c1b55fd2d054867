package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code management.endpoint.perfkit.access=none}: no endpoint, Boot's own endpoints work. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = StarterApp.class, properties = {"management.endpoint.perfkit.access=none",
        "management.endpoints.web.exposure.include=health,caches,perfkit"})
class EndpointOffTest {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    Postgres.into(registry);
  }

  @Autowired TestRestTemplate http;
  @Autowired ApplicationContext context;

  @Test
  void noPerfkitEndpointAndBootsEndpointsWork() {
    assertThat(context.getBeansOfType(PerfkitEndpoint.class)).isEmpty();
    assertThat(http.getForEntity("/actuator/perfkit", String.class).getStatusCode().value())
        .isEqualTo(404);
    assertThat(http.getForEntity("/actuator/health", String.class).getStatusCode().value())
        .isEqualTo(200);
    assertThat(http.getForObject("/actuator/caches", String.class)).contains("cacheManager");
  }
}
