package io.github.perfkit.spring.boot;

import io.github.perfkit.testkit.LoopbackServices;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The real PostgreSQL on loopback as Boot's {@code spring.datasource.*}. */
final class Postgres {
  private Postgres() {}

  static void into(DynamicPropertyRegistry registry) {
    LoopbackServices.Service pg = LoopbackServices.postgres();
    registry.add("spring.datasource.url", pg::jdbcUrl);
    registry.add("spring.datasource.username", pg::user);
    registry.add("spring.datasource.password", pg::password);
  }
}
