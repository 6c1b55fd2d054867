package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code /actuator/perfkit}: caches with their hit ratios and target checks, executors, the slowest
 * SQL shapes; the profile operation with its bounds.
 */
class EndpointTest extends StarterTestBase {

  @Autowired TestRestTemplate http;
  @Autowired StarterApp.Users users;
  @Autowired DataSource dataSource;
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void readShowsCachesExecutorsAndSqlShapes() throws Exception {
    users.name(77);
    users.name(77);
    users.name(77);
    new JdbcTemplate(dataSource).queryForObject("SELECT 1 FROM pg_sleep(0.05)", Integer.class);
    new JdbcTemplate(dataSource).queryForObject("SELECT 2", Integer.class);

    JsonNode body = json.readTree(http.getForObject("/actuator/perfkit", String.class));
    JsonNode usersCache = find(body.get("caches"), "users");
    assertThat(usersCache.get("cacheManager").asText()).isEqualTo("cacheManager");
    assertThat(usersCache.at("/lifetime/hits").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(usersCache.at("/lifetime/ratio").asDouble()).isBetween(0.0, 1.0);
    assertThat(usersCache.at("/target/verdict").asText())
        .isIn("MEETS_TARGET", "BELOW_TARGET", "NOT_ENOUGH_REQUESTS");
    assertThat(usersCache.at("/target/target").asDouble()).isEqualTo(0.8);

    JsonNode fetch = find(body.get("executors"), "fetch");
    assertThat(fetch.get("maxConcurrency").asInt()).isEqualTo(100);
    assertThat(fetch.get("workload").asText()).isEqualTo("IO_BOUND");

    JsonNode sql = body.get("sql");
    assertThat(sql.get(0).get("shape").asText()).contains("pg_sleep(?)"); // the slowest first
    assertThat(sql.get(0).get("dataSource").asText()).isEqualTo("dataSource");
    assertThat(sql.toString()).doesNotContain("0.05");
  }

  @Test
  void aBadDurationIs400() {
    for (String bad : new String[] {"soon", "-1s", "0s", "2h"}) {
      ResponseEntity<String> r = http.postForEntity("/actuator/perfkit/profile",
          Map.of("duration", bad), String.class);
      assertThat(r.getStatusCode().value()).as(bad).isEqualTo(400);
    }
    assertThat(http.postForEntity("/actuator/perfkit/profile", Map.of(), String.class)
        .getStatusCode().value()).isEqualTo(400);
    assertThat(http.postForEntity("/actuator/perfkit/other", Map.of("duration", "1s"),
        String.class).getStatusCode().value()).isEqualTo(400);
  }

  @Test
  void aProfileReturnsItsDiagnosisAndAFlameGraph() throws Exception {
    ResponseEntity<String> r = http.postForEntity("/actuator/perfkit/profile",
        Map.of("duration", "500ms"), String.class);
    assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(200);
    JsonNode profile = json.readTree(r.getBody());
    assertThat(profile.has("diagnosis")).as(r.getBody()).isTrue();
    ResponseEntity<String> page = http.getForEntity("/actuator/perfkit/flamegraph", String.class);
    assertThat(page.getStatusCode().value()).isEqualTo(200);
    assertThat(page.getHeaders().getContentType().toString()).startsWith("text/html");
    assertThat(page.getBody()).containsIgnoringCase("<html");
  }

  @Test
  void oneProfileAtATime() throws Exception {
    java.util.concurrent.CompletableFuture<ResponseEntity<String>> first =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> http.postForEntity(
            "/actuator/perfkit/profile", Map.of("duration", "3s"), String.class));
    boolean refused = false;
    while (!refused && !first.isDone()) {
      int status = http.postForEntity("/actuator/perfkit/profile", Map.of("duration", "1ms"),
          String.class).getStatusCode().value();
      refused = status == 409;
    }
    // either a short one came while the long one ran, or the long one came while a short one ran
    refused |= first.get().getStatusCode().value() == 409;
    assertThat(refused).as("a second profile while one runs gets 409").isTrue();
  }

  private static JsonNode find(JsonNode array, String name) {
    for (JsonNode n : array) {
      if (name.equals(n.get("name").asText())) {
        return n;
      }
    }
    throw new AssertionError(name + " not in " + array);
  }
}
