package io.github.perfkit.spring.boot;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One Boot application for the tests with every perfkit part on (one Spring context, shared): the
 * starter's properties as a user writes them, on the real PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = StarterApp.class, properties = {
        "management.endpoints.web.exposure.include=caches,metrics,prometheus,perfkit",
        "spring.datasource.hikari.pool-name=boot-pool",
        "perfkit.cache.specs.users=maximumSize=10000,expireAfterWrite=10m,refreshAfterWrite=1m",
        "perfkit.cache.default-spec=maximumSize=7",
        "perfkit.executors.fetch.kind=io",
        "perfkit.executors.fetch.max-concurrency=100",
        "perfkit.executors.crunch.kind=cpu"})
@AutoConfigureObservability // Boot's tests turn metrics export off unless asked
abstract class StarterTestBase {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    Postgres.into(registry);
  }
}
