package io.tokengate.store;

import io.tokengate.crypto.Digests;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the migrations from the classpath, in the jar or in a build directory. Blocking: call it on a worker. */
final class MigrationFiles {

  static final String LOCATION = "db/migration";
  private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

  private MigrationFiles() {
  }

  static List<Migration> load() throws IOException {
    URL url = MigrationFiles.class.getClassLoader().getResource(LOCATION);
    if (url == null) {
      throw new IOException(LOCATION + " is missing from the classpath");
    }
    URI uri;
    try {
      uri = url.toURI();
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    if ("jar".equals(uri.getScheme())) {
      try (FileSystem jar = openJar(uri)) {
        return read(jar.provider().getPath(uri));
      }
    }
    return read(Path.of(uri));
  }

  private static FileSystem openJar(URI uri) throws IOException {
    try {
      return FileSystems.newFileSystem(uri, Map.of());
    } catch (FileSystemAlreadyExistsException e) {
      // Someone else holds it open; a new one over the same file is independent and closed by us.
      String jar = uri.getSchemeSpecificPart();
      return FileSystems.newFileSystem(Path.of(URI.create(jar.substring(0, jar.indexOf("!/")))));
    }
  }

  private static List<Migration> read(Path directory) throws IOException {
    List<Migration> migrations = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String fileName = file.getFileName().toString();
        Matcher matcher = NAME.matcher(fileName);
        if (!matcher.matches()) {
          throw new IOException("unexpected file in " + LOCATION + ": " + fileName);
        }
        String sql = Files.readString(file, StandardCharsets.UTF_8);
        migrations.add(new Migration(Integer.parseInt(matcher.group(1)), matcher.group(2), sql, sha256(sql)));
      }
    }
    migrations.sort(Comparator.comparingInt(Migration::version));
    // Gaps are allowed: numbers are reserved for work on parallel branches, which land in any order.
    for (int i = 0; i < migrations.size(); i++) {
      if (i == 0 ? migrations.get(i).version() != 1 : migrations.get(i).version() == migrations.get(i - 1).version()) {
        throw new IOException(LOCATION + " must hold V1, V2, ... without duplicates");
      }
    }
    return migrations;
  }

  private static String sha256(String text) {
    return Digests.sha256Hex(text);
  }
}
