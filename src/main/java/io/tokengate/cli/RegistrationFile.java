package io.tokengate.cli;

import io.tokengate.client.ClientAuthMethod;
import io.tokengate.client.ClientKeys;
import io.tokengate.claims.ResourceRegistration;
import io.tokengate.claims.ScopeRegistration;
import io.tokengate.client.ClientRegistration;
import io.tokengate.client.TlsClientIdentity;
import io.tokengate.config.Durations;
import io.tokengate.grant.GrantTypes;
import io.tokengate.user.OtpPolicy;
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
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The file of {@code tokengate apply}, read as YAML nodes so that every problem names its line: unknown fields,
 * wrong types, duplicate keys, unknown grants or methods, unreadable files. Nothing is returned unless the whole file
 * is right; every problem is collected, not only the first. Field names are {@code client create}'s option names
 * with underscores (docs/declarative-registrations.md).
 */
final class RegistrationFile {

  /** A client as the file declares it, with the line of its id for later problems. */
  record Declared(String clientId, int line, ClientRegistration.Request request) {
  }

  static final List<String> CLIENT_FIELDS = List.of("grants", "scopes", "default_scopes", "auth_methods",
    "secret_file", "jwks_file", "jwks_uri", "tls_subject", "tls_san", "certificate_files", "access_token_lifetime",
    "refresh_token_lifetime", "refresh_token_idle_timeout", "certificate_bound_tokens", "require_dpop", "otp_policy",
    "rate_limit", "password_grant_sunset");
  private static final List<String> SECTIONS = List.of("clients", "scopes", "resources");

  /** Everything a file declares. */
  record Declarations(List<Declared> clients, List<ScopeRegistration> scopes, List<ResourceRegistration> resources) {
  }

  private final Path file;
  private final List<String> problems = new ArrayList<>();
  private final List<ScopeRegistration> scopes = new ArrayList<>();
  private final List<ResourceRegistration> resources = new ArrayList<>();

  /** @throws io.tokengate.config.ConfigException with every problem, each with its line */
  static Declarations readAll(Path file) {
    RegistrationFile reader = new RegistrationFile(file);
    List<Declared> declared = reader.read();
    if (!reader.problems.isEmpty()) {
      throw new io.tokengate.config.ConfigException(reader.problems);
    }
    return new Declarations(declared, List.copyOf(reader.scopes), List.copyOf(reader.resources));
  }

  private RegistrationFile(Path file) {
    this.file = file;
  }

  /** @throws io.tokengate.config.ConfigException with every problem, each with its line */
  static List<Declared> read(Path file) {
    RegistrationFile reader = new RegistrationFile(file);
    List<Declared> declared = reader.read();
    if (!reader.problems.isEmpty()) {
      throw new io.tokengate.config.ConfigException(reader.problems);
    }
    return declared;
  }

  private List<Declared> read() {
    Node root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(Files.readString(file)));
    } catch (IOException e) {
      problems.add("cannot read " + file + ": " + e.getMessage());
      return List.of();
    } catch (RuntimeException e) {
      // SnakeYAML's first line says what is wrong and where; further lines may quote the file.
      String first = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      problems.add(file + " is not valid YAML: " + first);
      return List.of();
    }
    List<Declared> declared = new ArrayList<>();
    if (root == null || isNull(root)) {
      return declared;
    }
    mapping(root, "the file", (key, value) -> {
      switch (key.getValue()) {
        case "clients" -> {
          if (!isNull(value)) {
            mapping(value, "clients", (id, fields) -> client(id, fields).ifPresent(declared::add));
          }
        }
        case "scopes" -> {
          if (!isNull(value)) {
            mapping(value, "scopes", this::scope);
          }
        }
        case "resources" -> {
          if (!isNull(value)) {
            mapping(value, "resources", this::resource);
          }
        }
        default -> problem(key, "unknown section '" + key.getValue() + "': one of " + String.join(", ", SECTIONS));
      }
    });
    return declared;
  }

  static final List<String> SCOPE_FIELDS = List.of("requires_groups", "claims", "description");
  static final List<String> RESOURCE_FIELDS = List.of("scopes", "access_token_lifetime");

  private Map<String, Node> fields(ScalarNode id, Node fieldsNode, String what, List<String> known) {
    Map<String, Node> fields = new LinkedHashMap<>();
    if (isNull(fieldsNode)) {
      return fields;
    }
    mapping(fieldsNode, what + " " + id.getValue(), (key, value) -> {
      if (!known.contains(key.getValue())) {
        problem(key, what + " " + id.getValue() + ": unknown field '" + key.getValue() + "' (fields: "
          + String.join(", ", known) + ")");
      } else {
        fields.put(key.getValue(), value);
      }
    });
    return fields;
  }

  /** {@code scope create}'s options: requires_groups (list), claims (NAME: ATTRIBUTE mapping), description. */
  private void scope(ScalarNode name, Node fieldsNode) {
    Map<String, Node> fields = fields(name, fieldsNode, "scope", SCOPE_FIELDS);
    Map<String, String> claims = new LinkedHashMap<>();
    Node claimsNode = fields.get("claims");
    if (claimsNode != null && !isNull(claimsNode)) {
      mapping(claimsNode, "scope " + name.getValue() + " claims", (claim, attribute) ->
        claims.put(claim.getValue(), attribute instanceof ScalarNode scalar ? scalar.getValue() : ""));
    }
    try {
      ScopeRegistration scope = new ScopeRegistration(name.getValue(),
        new LinkedHashSet<>(strings(fields.get("requires_groups"), name.getValue(), "requires_groups")),
        new io.tokengate.claims.ClaimMapping(claims), scalar(fields.get("description"), name.getValue(),
        "description"));
      ScopeCommand.validate(scope);
      scopes.add(scope);
    } catch (IllegalArgumentException e) {
      problem(name, "scope " + name.getValue() + ": " + e.getMessage());
    }
  }

  /** {@code resource create}'s options: scopes (list), access_token_lifetime. */
  private void resource(ScalarNode uri, Node fieldsNode) {
    Map<String, Node> fields = fields(uri, fieldsNode, "resource", RESOURCE_FIELDS);
    try {
      resources.add(ResourceCommand.validated(uri.getValue(),
        String.join(" ", strings(fields.get("scopes"), uri.getValue(), "scopes")),
        scalar(fields.get("access_token_lifetime"), uri.getValue(), "access_token_lifetime").orElse(null)));
    } catch (IllegalArgumentException e) {
      problem(uri, "resource " + uri.getValue() + ": " + e.getMessage());
    }
  }

  private Optional<Declared> client(ScalarNode id, Node fieldsNode) {
    Map<String, Node> fields = new LinkedHashMap<>();
    mapping(fieldsNode, "client " + id.getValue(), (key, value) -> {
      if (!CLIENT_FIELDS.contains(key.getValue())) {
        problem(key, "client " + id.getValue() + ": unknown field '" + key.getValue() + "' (fields: "
          + String.join(", ", CLIENT_FIELDS) + ")");
      } else {
        fields.put(key.getValue(), value);
      }
    });
    int before = problems.size();
    String clientId = id.getValue();
    Set<String> grants = new LinkedHashSet<>();
    Node grantsNode = fields.get("grants");
    if (grantsNode == null) {
      problem(id, "client " + clientId + ": grants is required (" + String.join(", ", GrantTypes.KNOWN) + ")");
    } else {
      for (ScalarNode grant : list(grantsNode, clientId, "grants")) {
        if (!GrantTypes.KNOWN.contains(grant.getValue())) {
          problem(grant, "client " + clientId + ": grant '" + grant.getValue() + "' does not exist ("
            + String.join(", ", GrantTypes.KNOWN) + ")");
        }
        grants.add(grant.getValue());
      }
    }
    List<String> scopes = strings(fields.get("scopes"), clientId, "scopes");
    List<String> defaultScopes = strings(fields.get("default_scopes"), clientId, "default_scopes");
    Set<ClientAuthMethod> methods = EnumSet.noneOf(ClientAuthMethod.class);
    if (fields.containsKey("auth_methods")) {
      for (ScalarNode method : list(fields.get("auth_methods"), clientId, "auth_methods")) {
        ClientAuthMethod.fromValue(method.getValue()).ifPresentOrElse(methods::add, () -> problem(method,
          "client " + clientId + ": unknown authentication method '" + method.getValue() + "'"));
      }
    } else {
      methods.addAll(ClientRegistration.DEFAULT_AUTH_METHODS);
    }
    Optional<String> secret = scalar(fields.get("secret_file"), clientId, "secret_file")
      .flatMap(path -> readSecret(fields.get("secret_file"), clientId, Path.of(path)));
    if (secret.isEmpty() && !fields.containsKey("secret_file") && methods.stream().anyMatch(ClientAuthMethod::usesSecret)) {
      problem(id, "client " + clientId + ": a secret method (" + String.join(", ", methods.stream()
        .filter(ClientAuthMethod::usesSecret).map(ClientAuthMethod::value).toList()) + ") needs secret_file: apply "
        + "generates no secret");
    }
    ClientKeys keys = keys(fields, clientId);
    Optional<java.time.Duration> access = duration(fields.get("access_token_lifetime"), clientId, "access_token_lifetime");
    Optional<java.time.Duration> refresh = duration(fields.get("refresh_token_lifetime"), clientId, "refresh_token_lifetime");
    Optional<java.time.Duration> idle = duration(fields.get("refresh_token_idle_timeout"), clientId,
      "refresh_token_idle_timeout");
    boolean certificateBound = bool(fields.get("certificate_bound_tokens"), clientId, "certificate_bound_tokens");
    boolean requireDpop = bool(fields.get("require_dpop"), clientId, "require_dpop");
    OtpPolicy otp = scalar(fields.get("otp_policy"), clientId, "otp_policy").map(value -> OtpPolicy.fromValue(value)
      .orElseGet(() -> {
        problem(fields.get("otp_policy"), "client " + clientId + ": otp_policy must be off, if-enrolled or required");
        return OtpPolicy.IF_ENROLLED;
      })).orElse(OtpPolicy.IF_ENROLLED);
    Optional<Integer> rateLimit = scalar(fields.get("rate_limit"), clientId, "rate_limit").flatMap(value -> {
      try {
        return Optional.of(Integer.parseInt(value));
      } catch (NumberFormatException e) {
        problem(fields.get("rate_limit"), "client " + clientId + ": rate_limit must be a whole number");
        return Optional.empty();
      }
    });
    Optional<Instant> sunset = scalar(fields.get("password_grant_sunset"), clientId, "password_grant_sunset")
      .flatMap(value -> {
        try {
          return Optional.of(SunsetDate.parse(value).at());
        } catch (IllegalArgumentException e) {
          problem(fields.get("password_grant_sunset"), "client " + clientId + ": " + e.getMessage()
            .replace("--password-grant-sunset", "password_grant_sunset"));
          return Optional.empty();
        }
      });
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new Declared(clientId, line(id), new ClientRegistration.Request(clientId, grants, scopes,
      defaultScopes, secret, access, refresh, idle)
      .authenticatingWith(methods, keys)
      .constrainingTokens(certificateBound, requireDpop)
      .withPolicies(otp, rateLimit)
      .retiringPasswordGrantAt(sunset)));
  }

  private ClientKeys keys(Map<String, Node> fields, String clientId) {
    Optional<String> jwksFile = scalar(fields.get("jwks_file"), clientId, "jwks_file");
    Optional<String> jwksUri = scalar(fields.get("jwks_uri"), clientId, "jwks_uri");
    Optional<String> subject = scalar(fields.get("tls_subject"), clientId, "tls_subject");
    Optional<String> san = scalar(fields.get("tls_san"), clientId, "tls_san");
    List<Path> certificates = strings(fields.get("certificate_files"), clientId, "certificate_files").stream()
      .map(Path::of).toList();
    try {
      Optional<TlsClientIdentity> identity = Optional.empty();
      if (subject.isPresent() && san.isPresent()) {
        throw new IllegalArgumentException("give either tls_subject or tls_san (RFC 8705 §2.1.2: exactly one)");
      }
      if (subject.isPresent()) {
        identity = Optional.of(new TlsClientIdentity(TlsClientIdentity.Kind.SUBJECT_DN, subject.get()));
      } else if (san.isPresent()) {
        int equals = san.get().indexOf('=');
        Optional<TlsClientIdentity.Kind> kind = equals < 0 ? Optional.empty()
          : TlsClientIdentity.Kind.fromValue("san_" + san.get().substring(0, equals).toLowerCase(Locale.ROOT));
        identity = Optional.of(new TlsClientIdentity(kind.orElseThrow(() -> new IllegalArgumentException(
          "tls_san must be TYPE=VALUE with TYPE one of dns, uri, ip, email")), san.get().substring(equals + 1)));
      }
      return ClientKeyFiles.read(jwksFile.map(Path::of).orElse(null), jwksUri.map(URI::create).orElse(null),
        identity, certificates);
    } catch (IOException | IllegalArgumentException e) {
      Node at = fields.getOrDefault("jwks_file", fields.getOrDefault("certificate_files",
        fields.getOrDefault("tls_san", fields.get("tls_subject"))));
      problem(at == null ? fields.get("jwks_uri") : at, "client " + clientId + ": " + e.getMessage());
      return ClientKeys.NONE;
    }
  }

  private Optional<String> readSecret(Node node, String clientId, Path path) {
    try {
      String secret = Files.readString(path).strip();
      if (secret.isEmpty()) {
        problem(node, "client " + clientId + ": secret_file " + path + " is empty");
        return Optional.empty();
      }
      return Optional.of(secret);
    } catch (IOException e) {
      problem(node, "client " + clientId + ": cannot read secret_file " + path + " (" + e.getClass().getSimpleName()
        + ")");
      return Optional.empty();
    }
  }

  private void mapping(Node node, String what, java.util.function.BiConsumer<ScalarNode, Node> each) {
    if (!(node instanceof MappingNode mapping)) {
      problem(node, what + " must be a mapping");
      return;
    }
    Map<String, Integer> seen = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        problem(tuple.getKeyNode(), "a key of " + what + " must be a plain word");
        continue;
      }
      Integer earlier = seen.putIfAbsent(key.getValue(), line(key));
      if (earlier != null) {
        problem(key, "'" + key.getValue() + "' is given twice in " + what + ", on lines " + earlier + " and " + line(key));
        continue;
      }
      each.accept(key, tuple.getValueNode());
    }
  }

  private List<ScalarNode> list(Node node, String clientId, String field) {
    if (node instanceof SequenceNode sequence) {
      List<ScalarNode> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        if (item instanceof ScalarNode scalar && !isNull(scalar)) {
          items.add(scalar);
        } else {
          problem(item, "client " + clientId + ": " + field + " must be a list of words");
        }
      }
      return items;
    }
    problem(node, "client " + clientId + ": " + field + " must be a list, e.g. [a, b]");
    return List.of();
  }

  private List<String> strings(Node node, String clientId, String field) {
    return node == null ? List.of() : list(node, clientId, field).stream().map(ScalarNode::getValue).toList();
  }

  private Optional<String> scalar(Node node, String clientId, String field) {
    if (node == null || isNull(node)) {
      return Optional.empty();
    }
    if (node instanceof ScalarNode scalar) {
      return Optional.of(scalar.getValue());
    }
    problem(node, "client " + clientId + ": " + field + " must be a single value");
    return Optional.empty();
  }

  private Optional<java.time.Duration> duration(Node node, String clientId, String field) {
    return scalar(node, clientId, field).flatMap(value -> {
      try {
        return Optional.of(Durations.parse(value));
      } catch (IllegalArgumentException e) {
        problem(node, "client " + clientId + ": " + field + ": " + e.getMessage());
        return Optional.empty();
      }
    });
  }

  private boolean bool(Node node, String clientId, String field) {
    Optional<String> value = scalar(node, clientId, field);
    if (value.isEmpty()) {
      return false;
    }
    if (!value.get().equals("true") && !value.get().equals("false")) {
      problem(node, "client " + clientId + ": " + field + " must be true or false");
    }
    return value.get().equals("true");
  }

  private void problem(Node node, String message) {
    problems.add(file + ":" + line(node) + ": " + message);
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
  }

  private static int line(Node node) {
    return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }
}
