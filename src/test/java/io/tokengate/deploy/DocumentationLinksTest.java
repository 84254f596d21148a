package io.tokengate.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README is the front door and {@code docs/} the rest of the house: every relative link between them (and from
 * {@code k8s/README.md}) must lead somewhere — an existing file or directory of the repository and, when it names
 * a heading ({@code file.md#anchor} or {@code #anchor}), a heading that GitHub renders with that anchor. Links
 * inside code (fenced blocks and {@code `spans`}) are not links; absolute URLs are not checked here.
 */
class DocumentationLinksTest {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Pattern LINK = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*\\])*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  @Test
  void everyRelativeLinkInTheReadmeAndDocsLeadsToAFileAndHeadingThatExist() throws IOException {
    List<Path> pages = pages();
    assertTrue(pages.size() >= 10, "README.md, k8s/README.md and docs/*.md: " + pages);

    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      broken.addAll(brokenLinks(page, Files.readString(page)));
    }

    assertEquals(List.of(), broken);
  }

  @Test
  void theReadmeIsAShortFrontDoorWithTheCommandsCiRunsAndAContentsList() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));

    assertTrue(readme.lines().count() <= 250, "README.md has " + readme.lines().count() + " lines; docs/ holds the rest");
    assertTrue(readme.contains("\n## Contents\n"), "a table of contents");
    assertTrue(readme.contains("\n## Run it\n") && readme.contains(
      "\nmvn -q -DskipTests package && java -jar target/tokengate.jar serve --demo\n"), "Run it, with its command");
    assertTrue(readme.contains("\n## Test it\n") && readme.contains("\nmvn -q verify\n"), "Test it, with its command");
    for (Path page : pages()) {
      if (page.startsWith(ROOT.resolve("docs"))) {
        String link = "](" + ROOT.relativize(page).toString().replace('\\', '/') + ")";
        assertTrue(readme.contains(link), "the README leads to " + page.getFileName());
      }
    }
  }

  @Test
  void anchorsAreGitHubs() {
    assertEquals("alert-tokengatehigherrorratio", anchor("Alert: TokengateHighErrorRatio"));
    assertEquals("tls_client_auth-rfc-8705-21-a-certificate-from-your-ca",
      anchor("tls_client_auth (RFC 8705 §2.1, a certificate from your CA)"));
    assertEquals("vertx-auth-and-totp", anchor("Vert.x Auth and TOTP"));
    assertEquals("config-check", anchor("`config check`"));
    assertEquals("tuning-step-by-step", anchor("Tuning, step by step"));
    assertEquals("a--b", anchor("A — B"));
    assertEquals("see-the-docs", anchor("See [the docs](docs/x.md)"));
  }

  @Test
  void theCheckerFindsBrokenFilesAndAnchorsAndIgnoresCode() {
    Path page = ROOT.resolve("docs").resolve("example.md");
    String text = """
      # Example

      ## A heading

      [fine](#a-heading) [fine](operations.md#metrics) [fine](../README.md) [fine](../src/bench/) ![img](../k8s/README.md)
      [missing file](nowhere.md) [missing anchor](#nowhere) [missing anchor elsewhere](operations.md#nowhere)
      [outside](../../etc/passwd) [absolute](https://example.com/nowhere.md)
      `[code](not-a-link.md)`

      ```sh
      [code](also-not-a-link.md)
      ```
      """;

    assertEquals(List.of("docs/example.md: nowhere.md (no such file)", "docs/example.md: #nowhere (no such heading)",
      "docs/example.md: operations.md#nowhere (no such heading)",
      "docs/example.md: ../../etc/passwd (outside the repository)"), brokenLinks(page, text));
  }

  private static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("k8s").resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  private static List<String> brokenLinks(Path page, String text) {
    List<String> broken = new ArrayList<>();
    String where = ROOT.relativize(page).toString().replace('\\', '/') + ": ";
    for (String target : links(text)) {
      if (SCHEME.matcher(target).find()) {
        continue;
      }
      int hash = target.indexOf('#');
      String file = hash < 0 ? target : target.substring(0, hash);
      String fragment = hash < 0 ? null : target.substring(hash + 1);
      Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
      if (!resolved.startsWith(ROOT)) {
        broken.add(where + target + " (outside the repository)");
      } else if (!file.isEmpty() && !Files.exists(resolved)) {
        broken.add(where + target + " (no such file)");
      } else if (fragment != null && !anchors(resolved.equals(page) ? text : read(resolved)).contains(fragment)) {
        broken.add(where + target + " (no such heading)");
      }
    }
    return broken;
  }

  /** Link targets outside fenced code blocks and code spans. */
  private static List<String> links(String text) {
    List<String> targets = new ArrayList<>();
    for (String line : prose(text)) {
      Matcher matcher = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
      while (matcher.find()) {
        targets.add(matcher.group(1));
      }
    }
    return targets;
  }

  /** The anchors GitHub gives a page's headings, a repeated one with -1, -2, ... */
  private static Set<String> anchors(String text) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : prose(text)) {
      Matcher matcher = HEADING.matcher(line);
      if (matcher.matches()) {
        String anchor = anchor(matcher.group(2));
        int count = seen.merge(anchor, 1, Integer::sum);
        anchors.add(count == 1 ? anchor : anchor + "-" + (count - 1));
      }
    }
    return anchors;
  }

  /** GitHub's slug of a heading: its text as rendered, lower case, punctuation dropped, each space a hyphen. */
  static String anchor(String heading) {
    String rendered = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
    return rendered.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
  }

  /** The lines outside fenced code blocks. */
  private static List<String> prose(String text) {
    List<String> lines = new ArrayList<>();
    boolean fenced = false;
    for (String line : text.split("\n", -1)) {
      if (line.stripLeading().startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static String read(Path path) {
    if (Files.isDirectory(path)) {
      return "";
    }
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
