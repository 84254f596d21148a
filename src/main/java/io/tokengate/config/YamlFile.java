package io.tokengate.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration file read as YAML nodes, so that every value keeps its line: flattened to dotted paths, with
 * duplicate keys refused (naming both lines) rather than the last one silently winning.
 */
final class YamlFile {

  /** The value of a mapping: a group of keys, or a named-section entry ({@code corp: {...}}, possibly empty). */
  static final Object GROUP = new Object() {
    @Override
    public String toString() {
      return "a mapping";
    }
  };

  /** @param value a String, a List of Strings, or {@link #GROUP} */
  record Value(String path, Object value, int line) {
  }

  private final Path file;
  private final List<String> problems;
  private final List<Value> values = new ArrayList<>();

  private YamlFile(Path file, List<String> problems) {
    this.file = file;
    this.problems = problems;
  }

  /** The file's values in document order; what is wrong with it goes to {@code problems}. */
  static List<Value> read(Path file, List<String> problems) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    }
    YamlFile yaml = new YamlFile(file, problems);
    Node root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
    } catch (RuntimeException e) {
      // SnakeYAML's first line says what is wrong and where; the following lines quote the file, which may hold a secret.
      String first = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      throw new ConfigException(file + " is not valid YAML: " + first);
    }
    if (root == null || root instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)) {
      return List.of();
    }
    if (!(root instanceof MappingNode mapping)) {
      throw new ConfigException(file + " must be a YAML mapping of keys to values");
    }
    yaml.mapping("", mapping);
    return yaml.values;
  }

  private void mapping(String prefix, MappingNode node) {
    Map<String, Integer> seen = new HashMap<>();
    for (NodeTuple tuple : node.getValue()) {
      Node keyNode = tuple.getKeyNode();
      int line = line(keyNode);
      if (!(keyNode instanceof ScalarNode scalarKey)) {
        problems.add("invalid configuration: " + file + ":" + line + " a key must be a plain word");
        continue;
      }
      String key = scalarKey.getValue();
      String path = prefix + key;
      Integer earlier = seen.putIfAbsent(key, line);
      if (earlier != null) {
        problems.add("invalid configuration: " + path + " is set twice in " + file + ", on lines " + earlier + " and " + line);
        continue;
      }
      value(path, tuple.getValueNode(), line);
    }
  }

  private void value(String path, Node node, int line) {
    if (node instanceof MappingNode nested) {
      values.add(new Value(path, GROUP, line));
      mapping(path + ".", nested);
    } else if (node instanceof SequenceNode sequence) {
      List<String> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        if (!(item instanceof ScalarNode scalar)) {
          problems.add("invalid configuration: " + path + " (" + file + ":" + line(item)
            + ") must be a list of plain values, not of lists or mappings");
          return;
        }
        items.add(text(scalar));
      }
      values.add(new Value(path, List.copyOf(items), line));
    } else {
      values.add(new Value(path, text((ScalarNode) node), line));
    }
  }

  private static String text(ScalarNode scalar) {
    return scalar.getTag().equals(Tag.NULL) ? "" : scalar.getValue();
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }
}
