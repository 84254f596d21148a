package io.tokengate.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The instructions of a Dockerfile by build stage: enough to check what an image is built from and how it runs. */
record Dockerfile(List<Dockerfile.Stage> stages) {

  record Instruction(String keyword, String arguments) {

    List<String> words() {
      return Arrays.asList(arguments.trim().split("\\s+"));
    }

    /** The JSON-array ("exec") form, {@code ["java", "-jar", ...]}; fails for the shell form. */
    List<String> execForm() {
      Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(arguments);
      if (!(parsed instanceof List<?> list)) {
        throw new AssertionError(keyword + " is not in exec form: " + arguments);
      }
      return list.stream().map(String::valueOf).toList();
    }
  }

  /** @param name the {@code AS} name, or null */
  record Stage(String image, String name, List<Instruction> instructions) {

    List<Instruction> all(String keyword) {
      return instructions.stream().filter(instruction -> instruction.keyword().equals(keyword)).toList();
    }

    Instruction last(String keyword) {
      List<Instruction> all = all(keyword);
      if (all.isEmpty()) {
        throw new AssertionError("no " + keyword + " in the stage FROM " + image);
      }
      return all.get(all.size() - 1);
    }
  }

  static Dockerfile parse(String text) {
    List<Stage> stages = new ArrayList<>();
    for (String line : logicalLines(text)) {
      int space = line.indexOf(' ');
      String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
      String arguments = space < 0 ? "" : line.substring(space + 1).trim();
      if (keyword.equals("FROM")) {
        List<String> words = new ArrayList<>(Arrays.asList(arguments.split("\\s+")));
        words.removeIf(word -> word.startsWith("--"));
        String name = words.size() == 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
        stages.add(new Stage(words.get(0), name, new ArrayList<>()));
      } else if (stages.isEmpty()) {
        if (!keyword.equals("ARG")) {
          throw new AssertionError(keyword + " before the first FROM");
        }
      } else {
        stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, arguments));
      }
    }
    return new Dockerfile(stages);
  }

  Stage finalStage() {
    return stages.get(stages.size() - 1);
  }

  /** Continuation lines joined, comments and blank lines dropped. */
  private static List<String> logicalLines(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (line.startsWith("#") || line.isEmpty() && current.length() == 0) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      if (!current.toString().isBlank()) {
        lines.add(current.toString().trim());
      }
      current.setLength(0);
    }
    return lines;
  }
}
