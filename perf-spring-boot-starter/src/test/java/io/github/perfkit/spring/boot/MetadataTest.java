package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The configuration metadata IDEs read lists every property the starter binds, each with a
 * description, and nothing else.
 */
class MetadataTest {

  @Test
  void everyBoundPropertyIsDescribed() throws Exception {
    JsonNode metadata;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      metadata = new ObjectMapper().readTree(in);
    }
    Set<String> described = new TreeSet<>();
    for (JsonNode p : metadata.get("properties")) {
      assertThat(p.path("description").asText()).as(p.get("name").asText()).isNotBlank();
      described.add(p.get("name").asText());
    }
    Set<String> bound = new TreeSet<>(Set.of("perfkit.executors", "perfkit.executors-enabled"));
    for (Class<?> type : new Class<?>[] {PerfkitCacheProperties.class, PerfkitJdbcProperties.class,
        PerfkitEndpointProperties.class, PerfkitNPlusOneProperties.class}) {
      addSetters(bound, type.getAnnotation(ConfigurationProperties.class).value(), type);
    }
    addSetters(bound, "perfkit.cache.redis", PerfkitCacheProperties.Redis.class);
    assertThat(described).isEqualTo(bound);
    Set<String> executorKeys = new TreeSet<>();
    for (Method m : PerfkitExecutorProperties.class.getMethods()) {
      if (m.getName().startsWith("set")) {
        executorKeys.add(kebab(m.getName().substring(3)));
      }
    }
    String executors = metadata.get("properties").findValues("description").toString();
    executorKeys.forEach(k -> assertThat(executors).contains("." + k));
  }

  private static void addSetters(Set<String> bound, String prefix, Class<?> type) {
    for (Method m : type.getMethods()) {
      if (m.getName().startsWith("set") && m.getParameterCount() == 1) {
        bound.add(prefix + "." + kebab(m.getName().substring(3)));
      }
    }
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
