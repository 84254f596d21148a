package io.tokengate.cli;

import io.tokengate.user.ImportLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

@Command(name = "import", description = {
  "Import users with the password hashes of another system: CSV lines (username,hash[,attributes-json[,groups]], "
    + "groups space-separated) or JSON "
    + "lines ({\"username\":…,\"password_hash\":…,\"attributes\":{…},\"groups\":[…],\"enabled\":true}).",
  "Argon2, bcrypt ($2a$/$2b$/$2y$), PBKDF2 ($pbkdf2-sha256$, $pbkdf2-sha512$, Django pbkdf2_sha256$) and scrypt "
    + "hashes verify as they are, and are replaced by Argon2id at each user's first login.",
  "Streams the file; existing usernames are left alone, so the import can be run again. A bad line is reported "
    + "with its number and skipped."})
final class UserImportCommand extends AdminCommand {

  private static final int BATCH = 500;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Option(names = "--format", paramLabel = "FORMAT",
    description = "csv or jsonl (default: from the file name; .csv is CSV, anything else JSON lines).")
  String format;

  @Override
  void run(AdminContext admin, PrintWriter out) {
    boolean csv = "csv".equals(format) || format == null && file.toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    if (format != null && !format.equals("csv") && !format.equals("jsonl")) {
      throw new IllegalArgumentException("--format must be csv or jsonl");
    }
    int maxUsername = admin.config().limits().usernameMaxLength();
    PrintWriter err = spec.commandLine().getErr();
    int imported = 0;
    int present = 0;
    int rejected = 0;
    List<ImportLine> batch = new ArrayList<>(BATCH);
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (line.isBlank() || csv && number == 1 && line.toLowerCase(Locale.ROOT).startsWith("username,")) {
          continue;
        }
        try {
          batch.add(csv ? ImportLine.parseCsv(line, maxUsername) : ImportLine.parseJson(line, maxUsername));
        } catch (ImportLine.Rejected e) {
          rejected++;
          err.println("line " + number + ": " + e.getMessage());
        }
        if (batch.size() == BATCH) {
          int inserted = admin.userStore().importUsers(batch).await();
          imported += inserted;
          present += batch.size() - inserted;
          batch.clear();
        }
      }
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!batch.isEmpty()) {
      int inserted = admin.userStore().importUsers(batch).await();
      imported += inserted;
      present += batch.size() - inserted;
    }
    out.println("imported " + imported + ", already present " + present + ", rejected " + rejected);
  }
}
