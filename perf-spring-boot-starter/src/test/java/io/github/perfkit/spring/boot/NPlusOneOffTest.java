package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.spring.boot.internal.RequestSqlFilter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code perfkit.jdbc.n-plus-one.enabled=false}: no request filter; the endpoint says so. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = StarterApp.class, properties = {"perfkit.jdbc.n-plus-one.enabled=false",
        "management.endpoints.web.exposure.include=perfkit"})
class NPlusOneOffTest {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    Postgres.into(registry);
  }

  @Autowired TestRestTemplate http;
  @Autowired ApplicationContext context;

  @Test
  void noFilterAndTheEndpointSaysSo() {
    assertThat(context.getBeansOfType(RequestSqlFilter.class)).isEmpty();
    assertThat(http.getForObject("/items/per-item/20", String.class)).contains("19");
    assertThat(http.getForObject("/actuator/perfkit", String.class))
        .contains("\"nPlusOneSuspects\":{\"enabled\":false}");
  }
}
