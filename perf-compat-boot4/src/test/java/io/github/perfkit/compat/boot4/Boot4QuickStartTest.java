package io.github.perfkit.compat.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.jdbc.TimedDataSource;
import io.github.perfkit.spring.boot.PerfkitCacheManager;
import io.github.perfkit.testkit.LoopbackServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.CacheManager;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter's quick start (its QuickStartTest, README's properties) on Spring Boot 4.0: the same
 * artifact that is built on Boot 3.5. The JDK's HTTP client instead of TestRestTemplate, which Boot
 * 4 moved; the port from the environment for the same reason.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = Boot4App.class, properties = {
        "perfkit.cache.specs.users=maximumSize=10000,expireAfterWrite=10m",
        "perfkit.cache.default-spec=maximumSize=1000",
        "perfkit.executors.fetch.kind=io",
        "perfkit.executors.fetch.max-concurrency=100",
        "management.endpoints.web.exposure.include=health,caches,metrics,perfkit",
        "management.defaults.metrics.export.enabled=true"})
class Boot4QuickStartTest {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    LoopbackServices.Service pg = LoopbackServices.postgres();
    registry.add("spring.datasource.url", pg::jdbcUrl);
    registry.add("spring.datasource.username", pg::user);
    registry.add("spring.datasource.password", pg::password);
  }

  @Autowired Environment environment;
  @Autowired Boot4App.Users users;
  @Autowired Boot4App.Prices prices;
  @Autowired CacheManager cacheManager;
  @Autowired DataSource dataSource;
  private final HttpClient client = HttpClient.newHttpClient();

  private String get(String path) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + environment.getProperty("local.server.port") + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  @Test
  void theQuickStartWorksOnBoot4() throws Exception {
    assertThat(SpringBootVersion.getVersion()).startsWith("4.0.");
    assertThat(cacheManager).isInstanceOf(PerfkitCacheManager.class);
    assertThat(dataSource).isInstanceOf(TimedDataSource.class);
    assertThat(dataSource.unwrap(com.zaxxer.hikari.HikariDataSource.class)).isNotNull();
    new JdbcTemplate(dataSource).queryForObject("SELECT 1", Integer.class);

    users.find(42);
    users.find(42);
    assertThat(prices.all(List.of(1, 2))).containsExactly(100, 200);
    assertThat(get("/actuator/perfkit"))
        .contains("\"name\":\"users\"").contains("\"name\":\"fetch\"")
        .contains("\"maxConcurrency\":100").contains("SELECT ?");
    assertThat(get("/actuator/metrics/cache.gets?tag=cache:users&tag=result:hit"))
        .contains("\"value\":1.0");
    assertThat(get("/actuator/caches")).contains("\"users\"");

    get("/items/12"); // the N+1 suspects' request filter on Spring Framework 7
    assertThat(get("/actuator/perfkit")).contains("\"route\":\"GET /items/{n}\"")
        .contains("\"handler\":\"Items#perItem\"").contains("\"maxPerRequest\":12");

    // the profile operation: a JSON body bound to its parameters, a diagnosis back
    HttpResponse<String> profile = client.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + environment.getProperty("local.server.port")
            + "/actuator/perfkit/profile"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"duration\":\"300ms\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
    assertThat(profile.body()).contains("\"diagnosis\"").contains("\"bottleneck\"");
    HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + environment.getProperty("local.server.port")
            + "/actuator/perfkit/profile"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"duration\":\"soon\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(get("/actuator/perfkit/flamegraph")).containsIgnoringCase("<html");
  }
}
