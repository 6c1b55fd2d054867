package io.github.perfkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** RFC 8259 cases: what the reader accepts, and what a strict reader must refuse. */
class JsonReaderTest {

  @Test
  void acceptsEveryValueKindOfTheGrammar() {
    Object doc = JsonReader.parse(" {\"a\": [1, -0.5, 2e3, 1E-2, 0, -0], \"b\": \"x\\u00e9\\n\\\"\\/\","
        + " \"c\": true, \"d\": false, \"e\": null, \"f\": {}} ");
    assertThat(doc).isInstanceOf(Map.class);
    Map<?, ?> map = (Map<?, ?>) doc;
    assertThat(map.get("a")).isEqualTo(List.of(1.0, -0.5, 2000.0, 0.01, 0.0, -0.0));
    assertThat(map.get("b")).isEqualTo("xé\n\"/");
    assertThat(map.get("c")).isEqualTo(Boolean.TRUE);
    assertThat(map.containsKey("e")).isTrue();
    assertThat(map.get("e")).isNull();
    assertThat(map.get("f")).isEqualTo(Map.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"+1", "01", ".5", "1.", "1e", "1e+", "-", "--1", "0x10", "NaN",
      "Infinity", "[1,]", "{\"a\":1,}", "{a:1}", "'x'", "\"\\u12G4\"", "\"\\u+123\"",
      "\"\\x\"", "[1 2]", "{\"a\" 1}", "tru", "nul", "[", "\"open", "1 2", "\u000c1"})
  void refusesWhatTheGrammarDoesNotAllow(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> JsonReader.parse(text))
        .withMessageStartingWith("not valid JSON at offset");
  }

  @Test
  void refusesRawControlCharactersInStrings() {
    assertThatIllegalArgumentException().isThrownBy(() -> JsonReader.parse("\"a\tb\""))
        .withMessageContaining("control character U+0009");
    assertThatIllegalArgumentException().isThrownBy(() -> JsonReader.parse("\"a\nb\""))
        .withMessageContaining("U+000A");
    assertThat(JsonReader.parse("\"a\\tb\"")).isEqualTo("a\tb");
  }

  @Test
  void theErrorNamesTheOffset() {
    assertThatIllegalArgumentException().isThrownBy(() -> JsonReader.parse("[1, +2]"))
        .withMessage("not valid JSON at offset 4: unexpected character '+'");
  }
}
