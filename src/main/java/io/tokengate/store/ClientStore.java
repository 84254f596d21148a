package io.tokengate.store;

import io.tokengate.claims.ClaimMapping;
import io.tokengate.client.Client;
import io.tokengate.client.ClientTokenProfile;
import io.tokengate.client.ClientAuthMethod;
import io.tokengate.client.ClientKeys;
import io.tokengate.client.ClientRecords;
import io.tokengate.client.PasswordGrantSunset;
import io.tokengate.client.TlsClientIdentity;

import com.nimbusds.jose.jwk.JWKSet;
import io.tokengate.user.OtpPolicy;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Clients in PostgreSQL. */
public final class ClientStore implements ClientRecords {

  static final String COLUMNS = "client_id, secret_hash, auth_methods, grant_types, scopes, default_scopes, "
    + "access_token_ttl_seconds, refresh_token_ttl_seconds, refresh_token_idle_seconds, enabled, secret_sealed, jwks, "
    + "jwks_uri, tls_identity_kind, tls_identity_value, certificate_thumbprints, certificate_bound_tokens, require_dpop, "
    + "otp_policy, rate_limit_per_second, password_grant_deprecated_at, password_grant_sunset_at";
  /**
   * What is read: the written columns and the token profile, which only {@link #setTokenProfile} writes (so that
   * {@code apply}, which writes {@link #COLUMNS}, leaves an operator's claim mappings alone).
   */
  static final String READ_COLUMNS = COLUMNS + ", claims, subject_type, sector";

  /** What {@code client update} may change: everything but the id, the credential and its keys. */
  private static final String UPDATE_REGISTRATION = "UPDATE clients SET grant_types = $2, scopes = $3, "
    + "default_scopes = $4, access_token_ttl_seconds = $5, refresh_token_ttl_seconds = $6, "
    + "refresh_token_idle_seconds = $7, certificate_bound_tokens = $8, require_dpop = $9, otp_policy = $10, "
    + "rate_limit_per_second = $11, password_grant_deprecated_at = $12, password_grant_sunset_at = $13, "
    + "updated_at = now() WHERE client_id = $1 RETURNING " + READ_COLUMNS;

  private final Pool pool;

  public ClientStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Optional<Client>> findById(String clientId) {
    return pool.preparedQuery("SELECT " + READ_COLUMNS + " FROM clients WHERE client_id = $1")
      .execute(Tuple.of(clientId))
      .map(ClientStore::first);
  }

  /** @return the new client, or empty if the id is taken */
  @Override
  public Future<Optional<Client>> insert(Client client) {
    return pool.preparedQuery("INSERT INTO clients (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        + "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) "
        + "ON CONFLICT (client_id) DO NOTHING RETURNING " + READ_COLUMNS)
      .execute(columns(client))
      .map(ClientStore::first);
  }

  /**
   * Changes a client's registration in one transaction: the row is locked while {@code change} turns the stored
   * client into the new one (or throws, and nothing changes). The id and the credential stay as they are.
   *
   * @return the client as now stored, or empty if there is no such client
   */
  @Override
  public Future<Optional<Client>> update(String clientId, UnaryOperator<Client> change) {
    return pool.withTransaction(connection -> connection
      .preparedQuery("SELECT " + READ_COLUMNS + " FROM clients WHERE client_id = $1 FOR UPDATE")
      .execute(Tuple.of(clientId))
      .map(ClientStore::first)
      .compose(found -> found.isEmpty() ? Future.succeededFuture(Optional.<Client>empty())
        : connection.preparedQuery(UPDATE_REGISTRATION)
          .execute(updatable(change.apply(found.get())))
          .map(ClientStore::first)));
  }

  private static Tuple updatable(Client client) {
    return Tuple.tuple()
      .addString(client.clientId())
      .addArrayOfString(client.grantTypes().toArray(String[]::new))
      .addArrayOfString(client.scopes().toArray(String[]::new))
      .addArrayOfString(client.defaultScopes().toArray(String[]::new))
      .addInteger(seconds(client.accessTokenTtl()))
      .addInteger(seconds(client.refreshTokenTtl()))
      .addInteger(seconds(client.refreshTokenIdle()))
      .addBoolean(client.certificateBound())
      .addBoolean(client.requiresDpop())
      .addString(client.otpPolicy().value())
      .addInteger(client.rateLimit().orElse(null))
      .addOffsetDateTime(client.passwordGrantSunset().map(sunset -> utc(sunset.deprecatedAt())).orElse(null))
      .addOffsetDateTime(client.passwordGrantSunset().map(sunset -> utc(sunset.sunsetAt())).orElse(null));
  }

  static Tuple columns(Client client) {
    return Tuple.tuple()
      .addString(client.clientId())
      .addString(client.secretHash())
      .addArrayOfString(client.authMethods().stream().map(ClientAuthMethod::value).toArray(String[]::new))
      .addArrayOfString(client.grantTypes().toArray(String[]::new))
      .addArrayOfString(client.scopes().toArray(String[]::new))
      .addArrayOfString(client.defaultScopes().toArray(String[]::new))
      .addInteger(seconds(client.accessTokenTtl()))
      .addInteger(seconds(client.refreshTokenTtl()))
      .addInteger(seconds(client.refreshTokenIdle()))
      .addBoolean(client.enabled())
      .addValue(client.keys().sealedSecret().map(Buffer::buffer).orElse(null))
      .addString(client.keys().jwks().map(jwks -> jwks.toString(true)).orElse(null))
      .addString(client.keys().jwksUri().map(URI::toString).orElse(null))
      .addString(client.keys().tlsIdentity().map(identity -> identity.kind().value()).orElse(null))
      .addString(client.keys().tlsIdentity().map(TlsClientIdentity::value).orElse(null))
      .addArrayOfString(client.keys().certificateThumbprints().toArray(String[]::new))
      .addBoolean(client.certificateBound())
      .addBoolean(client.requiresDpop())
      .addString(client.otpPolicy().value())
      .addInteger(client.rateLimit().orElse(null))
      .addOffsetDateTime(client.passwordGrantSunset().map(sunset -> utc(sunset.deprecatedAt())).orElse(null))
      .addOffsetDateTime(client.passwordGrantSunset().map(sunset -> utc(sunset.sunsetAt())).orElse(null));
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /** Every client, ordered by id. */
  @Override
  public Future<List<Client>> list() {
    return pool.query("SELECT " + READ_COLUMNS + " FROM clients ORDER BY client_id").execute()
      .map(rows -> {
        List<Client> clients = new ArrayList<>();
        rows.forEach(row -> clients.add(toClient(row)));
        return clients;
      });
  }

  /**
   * @param sealed the new secret sealed for client_secret_jwt, or null for a client without that method
   * @return false if there is no such client
   */
  @Override
  public Future<Boolean> updateSecret(String clientId, String secretHash, byte[] sealed) {
    return pool.preparedQuery(
        "UPDATE clients SET secret_hash = $2, secret_sealed = $3, updated_at = now() WHERE client_id = $1")
      .execute(Tuple.of(clientId, secretHash, sealed == null ? null : Buffer.buffer(sealed)))
      .map(rows -> rows.rowCount() == 1);
  }

  /** @return false if there is no such client */
  @Override
  public Future<Boolean> disable(String clientId) {
    return setEnabled(clientId, false);
  }

  /**
   * Replaces a client's credential: its methods, its secret's stored forms and its keys.
   *
   * @return false if there is no such client
   */
  @Override
  public Future<Boolean> replaceCredential(Client client) {
    return pool.preparedQuery("UPDATE clients SET auth_methods = $2, secret_hash = $3, secret_sealed = $4, jwks = $5, "
        + "jwks_uri = $6, tls_identity_kind = $7, tls_identity_value = $8, certificate_thumbprints = $9, "
        + "updated_at = now() WHERE client_id = $1")
      .execute(Tuple.tuple()
        .addString(client.clientId())
        .addArrayOfString(client.authMethods().stream().map(ClientAuthMethod::value).toArray(String[]::new))
        .addString(client.secretHash())
        .addValue(client.keys().sealedSecret().map(Buffer::buffer).orElse(null))
        .addString(client.keys().jwks().map(jwks -> jwks.toString(true)).orElse(null))
        .addString(client.keys().jwksUri().map(URI::toString).orElse(null))
        .addString(client.keys().tlsIdentity().map(identity -> identity.kind().value()).orElse(null))
        .addString(client.keys().tlsIdentity().map(TlsClientIdentity::value).orElse(null))
        .addArrayOfString(client.keys().certificateThumbprints().toArray(String[]::new)))
      .map(rows -> rows.rowCount() == 1);
  }

  /** @return false if there is no such client */
  @Override
  public Future<Boolean> enable(String clientId) {
    return setEnabled(clientId, true);
  }

  private Future<Boolean> setEnabled(String clientId, boolean enabled) {
    return pool.preparedQuery("UPDATE clients SET enabled = $2, updated_at = now() WHERE client_id = $1")
      .execute(Tuple.of(clientId, enabled))
      .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Deletes a client with its refresh-token families (and their tokens, and its used assertion ids: ON DELETE
   * CASCADE), so that none of its refresh tokens works again.
   *
   * @return false if there is no such client
   */
  @Override
  public Future<Boolean> delete(String clientId) {
    return pool.preparedQuery("DELETE FROM clients WHERE client_id = $1")
      .execute(Tuple.of(clientId))
      .map(rows -> rows.rowCount() == 1);
  }

  private static Integer seconds(Optional<Duration> duration) {
    return duration.map(value -> (int) value.toSeconds()).orElse(null);
  }

  private static Optional<Client> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(toClient(rows.iterator().next()));
  }

  static Client toClient(Row row) {
    Set<ClientAuthMethod> methods = EnumSet.noneOf(ClientAuthMethod.class);
    for (String method : row.getArrayOfStrings("auth_methods")) {
      // A method this version does not know (written by a newer one) is simply not usable here.
      ClientAuthMethod.fromValue(method).ifPresent(methods::add);
    }
    return new Client(
      row.getString("client_id"),
      row.getString("secret_hash"),
      methods,
      new LinkedHashSet<>(Arrays.asList(row.getArrayOfStrings("grant_types"))),
      List.of(row.getArrayOfStrings("scopes")),
      List.of(row.getArrayOfStrings("default_scopes")),
      duration(row, "access_token_ttl_seconds"),
      duration(row, "refresh_token_ttl_seconds"),
      duration(row, "refresh_token_idle_seconds"),
      row.getBoolean("enabled"),
      keys(row),
      row.getBoolean("certificate_bound_tokens"),
      row.getBoolean("require_dpop"),
      // A policy this version does not know (written by a newer one) asks for the second factor.
      OtpPolicy.fromValue(row.getString("otp_policy")).orElse(OtpPolicy.REQUIRED),
      Optional.ofNullable(row.getInteger("rate_limit_per_second")),
      sunset(row),
      tokenProfile(row));
  }

  private static ClientTokenProfile tokenProfile(Row row) {
    return new ClientTokenProfile(ClaimMapping.fromJson(row.getJsonObject("claims")),
      "pairwise".equals(row.getString("subject_type")), Optional.ofNullable(row.getString("sector")));
  }

  /** Replaces a client's claim mappings, subject type and sector. @return false if there is no such client */
  public Future<Boolean> setTokenProfile(String clientId, ClientTokenProfile profile) {
    return pool.preparedQuery("UPDATE clients SET claims = $2, subject_type = $3, sector = $4, updated_at = now() "
        + "WHERE client_id = $1")
      .execute(Tuple.of(clientId, profile.claims().toJson(), profile.subjectType(), profile.sector().orElse(null)))
      .map(rows -> rows.rowCount() == 1);
  }

  private static Optional<PasswordGrantSunset> sunset(Row row) {
    OffsetDateTime sunsetAt = row.getOffsetDateTime("password_grant_sunset_at");
    return sunsetAt == null ? Optional.empty() : Optional.of(new PasswordGrantSunset(
      row.getOffsetDateTime("password_grant_deprecated_at").toInstant(), sunsetAt.toInstant()));
  }

  private static ClientKeys keys(Row row) {
    Buffer sealed = row.getBuffer("secret_sealed");
    String kind = row.getString("tls_identity_kind");
    return new ClientKeys(
      Optional.ofNullable(sealed).map(Buffer::getBytes),
      Optional.ofNullable(row.getString("jwks")).map(ClientStore::parseJwks),
      Optional.ofNullable(row.getString("jwks_uri")).map(URI::create),
      // A kind this version does not know (written by a newer one) identifies nothing here.
      kind == null ? Optional.empty() : TlsClientIdentity.Kind.fromValue(kind)
        .map(known -> new TlsClientIdentity(known, row.getString("tls_identity_value"))),
      List.of(row.getArrayOfStrings("certificate_thumbprints")));
  }

  private static JWKSet parseJwks(String json) {
    try {
      return JWKSet.parse(json);
    } catch (ParseException e) {
      // Registration validated it; a broken row means someone edited the table by hand.
      throw new IllegalStateException("the stored JWKS of a client does not parse: " + e.getMessage());
    }
  }

  private static Optional<Duration> duration(Row row, String column) {
    return Optional.ofNullable(row.getInteger(column)).map(Duration::ofSeconds);
  }
}
