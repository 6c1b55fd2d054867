package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;

/**
 * N+1 suspects in {@code /actuator/perfkit}: a request that loops a query per item is listed with
 * its route, handler and SQL shape; one that fetches everything in one query is not; a loop under
 * the threshold is not.
 */
class NPlusOneTest extends StarterTestBase {

  @Autowired TestRestTemplate http;
  private final ObjectMapper json = new ObjectMapper();

  private List<JsonNode> suspects(String shapePart) throws Exception {
    JsonNode body = json.readTree(http.getForObject("/actuator/perfkit", String.class));
    JsonNode n1 = body.get("nPlusOneSuspects");
    assertThat(n1.get("enabled").asBoolean()).isTrue();
    assertThat(n1.get("threshold").asInt()).isEqualTo(10);
    List<JsonNode> out = new ArrayList<>();
    n1.get("suspects").forEach(s -> {
      if (s.get("shape").asText().contains(shapePart)) {
        out.add(s);
      }
    });
    return out;
  }

  /** One test: the context is shared, and the suspects add up over its requests. */
  @Test
  void aQueryPerItemIsASuspectAndOneQueryForAllOrAShortLoopIsNot() throws Exception {
    assertThat(suspects("per_item_id")).as("no item request yet").isEmpty();
    http.getForObject("/items/per-item/9", String.class); // 9 < 10: not a suspect
    assertThat(suspects("per_item_id")).isEmpty();

    assertThat(http.getForObject("/items/per-item/25", String.class)).contains("24");
    assertThat(http.getForObject("/items/per-item/25", String.class)).contains("24");
    assertThat(http.getForObject("/items/all/500", String.class)).contains("500");
    assertThat(http.getForObject("/items/all/500", String.class)).contains("500");

    List<JsonNode> loop = suspects("per_item_id");
    assertThat(loop).hasSize(1);
    JsonNode s = loop.get(0);
    assertThat(s.get("route").asText()).isEqualTo("GET /items/per-item/{n}");
    assertThat(s.get("handler").asText()).isEqualTo("Items#perItem");
    assertThat(s.get("shape").asText()).isEqualTo("SELECT CAST(? AS int) AS per_item_id");
    assertThat(s.get("requests").asLong()).isEqualTo(2);
    assertThat(s.get("maxPerRequest").asLong()).isEqualTo(25);
    assertThat(s.get("statements").asLong()).isEqualTo(50);
    assertThat(suspects("all_item_ids")).as("one query for all").isEmpty();

    http.getForObject("/items/per-item/31", String.class);
    JsonNode after = suspects("per_item_id").get(0);
    assertThat(after.get("lastPerRequest").asLong()).isEqualTo(31);
    assertThat(after.get("maxPerRequest").asLong()).isEqualTo(31);
    assertThat(after.get("requests").asLong()).isEqualTo(3);
    // shapes and URI patterns only: no URI with its values, no literal
    assertThat(http.getForObject("/actuator/perfkit", String.class))
        .doesNotContain("/items/per-item/31").doesNotContain("CAST(30");
  }
}
