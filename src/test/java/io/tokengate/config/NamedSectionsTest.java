package io.tokengate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Named sections, the shape later features declare (several LDAP directories, SQL sources, claim mappings): entries
 * exist only when the file declares them, take their fields' defaults, and can be overridden from the environment.
 */
class NamedSectionsTest {

  private static final ConfigSchema SCHEMA = ConfigSchema.builder()
    .list("users.sources", List.of("local"), "Sources in order")
    .list("users.ldap.<name>.url", null, "Directory URLs, in failover order")
    .string("users.ldap.<name>.base_dn", null, "Where users are searched")
    .secret("users.ldap.<name>.bind_password", "Service account password")
    .duration("users.ldap.<name>.deadline", "5s", Duration.ofMillis(100), Duration.ofMinutes(1), "Whole lookup")
    .string("users.ldap.<name>.attributes.<claim>", null, "Claim -> attribute")
    .string("users.sql.<name>.url", null, "Database URL")
    .string("claims.access_token.<claim>", null, "Claim -> attribute")
    .uniqueNames("user source", Set.of("local"), "users.ldap", "users.sql")
    .build();

  @TempDir
  Path directory;

  private Settings resolve(String yaml, Map<String, String> env) throws IOException {
    return ConfigLoader.resolve(SCHEMA, Files.writeString(directory.resolve("tokengate.yaml"), yaml), env);
  }

  private List<String> problems(String yaml, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> resolve(yaml, env)).problems();
  }

  private static final String CORP = """
    users:
      sources: [local, corp]
      ldap:
        corp:
          url: [ldap://dc1:389, ldap://dc2:389]
          base_dn: ou=people,dc=example,dc=org
          attributes: {email: mail, name: cn}
    claims:
      access_token: {}
    """;

  @Test
  void aDeclaredEntryHasEveryFieldWithItsDefault() throws IOException {
    Settings settings = resolve(CORP, Map.of());

    assertEquals(List.of("local", "corp"), settings.list("users.sources"));
    assertEquals(List.of("corp"), settings.entries("users.ldap"));
    assertEquals(List.of("ldap://dc1:389", "ldap://dc2:389"), settings.list("users.ldap.corp.url"));
    assertEquals(Duration.ofSeconds(5), settings.duration("users.ldap.corp.deadline"));
    assertEquals("", settings.string("users.ldap.corp.bind_password"));
    assertEquals(List.of("email", "name"), settings.entries("users.ldap.corp.attributes"));
    assertEquals("mail", settings.string("users.ldap.corp.attributes.email"));
    assertEquals(List.of(), settings.entries("claims.access_token"));
    assertEquals(List.of(), settings.entries("users.sql"));
  }

  @Test
  void theEnvironmentOverridesFieldsOfDeclaredEntries() throws IOException {
    Path password = Files.writeString(directory.resolve("bind-password"), "s3cret\n");

    Settings settings = resolve(CORP, Map.of(
      "TOKENGATE_USERS_SOURCES", "corp,local",
      "TOKENGATE_USERS_LDAP_CORP_URL", "ldaps://dc3:636",
      "TOKENGATE_USERS_LDAP_CORP_BIND_PASSWORD_FILE", password.toString(),
      "TOKENGATE_USERS_LDAP_CORP_ATTRIBUTES_EMAIL", "userPrincipalName"));

    assertEquals(List.of("corp", "local"), settings.list("users.sources"));
    assertEquals(List.of("ldaps://dc3:636"), settings.list("users.ldap.corp.url"));
    assertEquals("s3cret", settings.string("users.ldap.corp.bind_password"));
    assertEquals("userPrincipalName", settings.string("users.ldap.corp.attributes.email"));
    assertEquals("TOKENGATE_USERS_LDAP_CORP_URL", settings.source("users.ldap.corp.url"));
  }

  @Test
  void aVariableForAnUndeclaredEntryIsAnError() {
    assertEquals(List.of("invalid configuration: TOKENGATE_USERS_LDAP_PARTNERS_URL sets a key of users.ldap, which the "
        + "configuration file does not declare; declare the entry in the file first"),
      problems(CORP, Map.of("TOKENGATE_USERS_LDAP_PARTNERS_URL", "ldap://p:389")));
    assertEquals(List.of("invalid configuration: TOKENGATE_CLAIMS_ACCESS_TOKEN_EMAIL sets a key of claims.access_token, "
        + "which the configuration file does not declare; declare the entry in the file first"),
      problems(CORP, Map.of("TOKENGATE_CLAIMS_ACCESS_TOKEN_EMAIL", "mail")));
  }

  @Test
  void aRequiredFieldMustBeSet() {
    List<String> problems = problems("users:\n  ldap:\n    corp: {}\n", Map.of());

    assertEquals(List.of("invalid configuration: users.ldap.corp.url is required",
      "invalid configuration: users.ldap.corp.base_dn is required"), problems);
  }

  @Test
  void namesAreCheckedUniqueAndNotReserved() {
    String ldap = "      url: ldap://a\n      base_dn: dc=a\n";
    assertEquals(List.of("invalid configuration: users.ldap.Corp (" + directory.resolve("tokengate.yaml")
        + ":3) names an entry of users.ldap: a name must match [a-z][a-z0-9_]{0,31}"),
      problems("users:\n  ldap:\n    Corp:\n" + ldap, Map.of()));
    assertEquals(List.of("invalid configuration: users.ldap.local: 'local' is reserved and cannot name a user source"),
      problems("users:\n  ldap:\n    local:\n" + ldap, Map.of()));
    assertEquals(List.of("invalid configuration: user source name 'corp' is used by both users.ldap.corp and "
        + "users.sql.corp; names must be unique"),
      problems("users:\n  ldap:\n    corp:\n" + ldap + "  sql:\n    corp:\n      url: postgresql://a@b/c\n", Map.of()));
  }

  @Test
  void anUnknownFieldOfAnEntryIsCaughtWithASuggestion() {
    Path file = directory.resolve("tokengate.yaml");
    assertEquals(List.of("unknown configuration key users.ldap.corp.base (" + file + ":7); did you mean "
        + "users.ldap.corp.base_dn?"),
      problems(CORP.replace("      attributes: {email: mail, name: cn}\n", "      base: x\n"), Map.of()));
  }
}
