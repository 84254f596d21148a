package io.tokengate.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The documented defaults (config/tokengate.yaml) and the configuration reference (docs/configuration.md) are the
 * schema's, so that neither can drift from the code. Run with {@code -Dtokengate.docs.update=true} to rewrite the
 * reference table from the schema.
 */
class ConfigReferenceTest {

  private static final Path DEFAULTS = Path.of("config", "tokengate.yaml");
  private static final Path REFERENCE = Path.of("docs", "configuration.md");
  private static final String START = "<!-- reference: generated from ConfigKeys by ConfigReferenceTest -->\n";
  private static final String END = "<!-- end of reference -->\n";

  @Test
  void theDefaultsFileHoldsEveryFixedKeyWithItsSchemaDefault() {
    List<String> problems = new ArrayList<>();
    Map<String, Object> documented = new LinkedHashMap<>();
    YamlFile.read(DEFAULTS, problems).stream().filter(value -> value.value() != YamlFile.GROUP)
      .forEach(value -> documented.put(value.path(), value.value()));
    Map<String, Object> schema = new LinkedHashMap<>();
    ConfigKeys.SCHEMA.keys().stream().filter(key -> !key.isPattern())
      .forEach(key -> schema.put(key.path(), key.defaultValue()));

    assertEquals(List.of(), problems);
    assertEquals(schema, documented);
  }

  @Test
  void theReferenceIsTheSchema() throws IOException {
    String text = Files.readString(REFERENCE);
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    String expected = table();
    if (Boolean.getBoolean("tokengate.docs.update")) {
      text = text.substring(0, start + START.length()) + expected + text.substring(end);
      Files.writeString(REFERENCE, text);
      end = text.indexOf(END);
    }
    assertEquals(expected, text.substring(start + START.length(), end),
      "docs/configuration.md's reference is not the schema's; run mvn test -Dtest=ConfigReferenceTest "
        + "-Dtokengate.docs.update=true");
  }

  private static String table() {
    StringBuilder table = new StringBuilder("| key | environment | accepts | default | |\n|---|---|---|---|---|\n");
    for (ConfigKey key : ConfigKeys.SCHEMA.keys()) {
      String environment = ConfigLoader.envName(key.path().replaceAll("<([a-z]+)>", "$1"))
        .replaceAll("_(NAME|CLAIM)(_|$)", "_<$1>$2");
      table.append("| `").append(key.path()).append("` | `").append(environment).append(key.isSecret() ? "(_FILE)" : "")
        .append("` | ").append(key.accepted()).append(" | ")
        .append(key.isRequired() ? "required" : key.defaultText().isEmpty() ? "empty" : "`" + key.defaultText() + "`")
        .append(" | ").append(key.doc().replace("|", "\\|")).append(" |\n");
    }
    return table.toString();
  }
}
