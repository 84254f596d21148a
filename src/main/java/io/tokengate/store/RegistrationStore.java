package io.tokengate.store;

import io.tokengate.claims.ClaimMapping;
import io.tokengate.claims.RegistrationRecords;
import io.tokengate.claims.Registrations;
import io.tokengate.claims.ResourceRegistration;
import io.tokengate.claims.ScopeRegistration;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Scope and resource registrations in PostgreSQL (tables scopes and resources, V13). */
public final class RegistrationStore implements RegistrationRecords {

  private static final String SCOPE_COLUMNS = "name, required_groups, claims, description";
  private static final String RESOURCE_COLUMNS = "uri, scopes, access_token_ttl_seconds";

  private final SqlClient client;

  /** @param client a pool, or the connection of a transaction ({@code apply}) */
  public RegistrationStore(SqlClient client) {
    this.client = client;
  }

  @Override
  public Future<Registrations> load() {
    return Future.all(scopes(), resources()).map(both -> {
      Map<String, ScopeRegistration> scopes = new LinkedHashMap<>();
      both.<List<ScopeRegistration>>resultAt(0).forEach(scope -> scopes.put(scope.name(), scope));
      Map<String, ResourceRegistration> resources = new LinkedHashMap<>();
      both.<List<ResourceRegistration>>resultAt(1).forEach(resource -> resources.put(resource.uri(), resource));
      return new Registrations(scopes, resources);
    });
  }

  public Future<List<ScopeRegistration>> scopes() {
    return client.query("SELECT " + SCOPE_COLUMNS + " FROM scopes ORDER BY name").execute().map(rows -> {
      List<ScopeRegistration> scopes = new ArrayList<>();
      rows.forEach(row -> scopes.add(scope(row)));
      return scopes;
    });
  }

  public Future<List<ResourceRegistration>> resources() {
    return client.query("SELECT " + RESOURCE_COLUMNS + " FROM resources ORDER BY uri").execute().map(rows -> {
      List<ResourceRegistration> resources = new ArrayList<>();
      rows.forEach(row -> resources.add(resource(row)));
      return resources;
    });
  }

  /** @return false if the name is taken */
  public Future<Boolean> insertScope(ScopeRegistration scope, boolean managed) {
    return client.preparedQuery("INSERT INTO scopes (" + SCOPE_COLUMNS + ", managed) VALUES ($1, $2, $3, $4, $5) "
        + "ON CONFLICT (name) DO NOTHING")
      .execute(scopeTuple(scope).addBoolean(managed))
      .map(rows -> rows.rowCount() == 1);
  }

  /** @return false if there is no such scope */
  public Future<Boolean> updateScope(ScopeRegistration scope) {
    return client.preparedQuery("UPDATE scopes SET required_groups = $2, claims = $3, description = $4, "
        + "updated_at = now() WHERE name = $1")
      .execute(scopeTuple(scope))
      .map(rows -> rows.rowCount() == 1);
  }

  public Future<Boolean> deleteScope(String name) {
    return client.preparedQuery("DELETE FROM scopes WHERE name = $1").execute(Tuple.of(name))
      .map(rows -> rows.rowCount() == 1);
  }

  /** @return false if the URI is taken */
  public Future<Boolean> insertResource(ResourceRegistration resource, boolean managed) {
    return client.preparedQuery("INSERT INTO resources (" + RESOURCE_COLUMNS + ", managed) VALUES ($1, $2, $3, $4) "
        + "ON CONFLICT (uri) DO NOTHING")
      .execute(resourceTuple(resource).addBoolean(managed))
      .map(rows -> rows.rowCount() == 1);
  }

  public Future<Boolean> updateResource(ResourceRegistration resource) {
    return client.preparedQuery("UPDATE resources SET scopes = $2, access_token_ttl_seconds = $3, updated_at = now() "
        + "WHERE uri = $1")
      .execute(resourceTuple(resource))
      .map(rows -> rows.rowCount() == 1);
  }

  public Future<Boolean> deleteResource(String uri) {
    return client.preparedQuery("DELETE FROM resources WHERE uri = $1").execute(Tuple.of(uri))
      .map(rows -> rows.rowCount() == 1);
  }

  /** Creates or replaces a scope as {@code apply} declares it, and marks it managed. */
  public Future<Void> applyScope(ScopeRegistration scope) {
    return client.preparedQuery("INSERT INTO scopes (" + SCOPE_COLUMNS + ", managed) VALUES ($1, $2, $3, $4, true) "
        + "ON CONFLICT (name) DO UPDATE SET required_groups = $2, claims = $3, description = $4, managed = true, "
        + "updated_at = now()")
      .execute(scopeTuple(scope)).mapEmpty();
  }

  public Future<Void> applyResource(ResourceRegistration resource) {
    return client.preparedQuery("INSERT INTO resources (" + RESOURCE_COLUMNS + ", managed) VALUES ($1, $2, $3, true) "
        + "ON CONFLICT (uri) DO UPDATE SET scopes = $2, access_token_ttl_seconds = $3, managed = true, "
        + "updated_at = now()")
      .execute(resourceTuple(resource)).mapEmpty();
  }

  /** The names of the scopes, and the URIs of the resources, that {@code apply} manages. */
  public Future<Set<String>> managed(String table) {
    String column = table.equals("scopes") ? "name" : "uri";
    return client.query("SELECT " + column + " FROM " + (table.equals("scopes") ? "scopes" : "resources")
        + " WHERE managed").execute()
      .map(rows -> {
        Set<String> names = new java.util.LinkedHashSet<>();
        rows.forEach(row -> names.add(row.getString(0)));
        return names;
      });
  }

  private static Tuple scopeTuple(ScopeRegistration scope) {
    return Tuple.tuple().addString(scope.name()).addArrayOfString(scope.requiredGroups().toArray(String[]::new))
      .addValue(scope.claims().toJson()).addString(scope.description().orElse(null));
  }

  private static Tuple resourceTuple(ResourceRegistration resource) {
    return Tuple.tuple().addString(resource.uri()).addArrayOfString(resource.scopes().toArray(String[]::new))
      .addInteger(resource.accessTokenLifetime().map(lifetime -> (int) lifetime.toSeconds()).orElse(null));
  }

  private static ScopeRegistration scope(Row row) {
    return new ScopeRegistration(row.getString("name"), new java.util.LinkedHashSet<>(List.of(row.getArrayOfStrings("required_groups"))),
      ClaimMapping.fromJson(row.getJsonObject("claims")), Optional.ofNullable(row.getString("description")));
  }

  private static ResourceRegistration resource(Row row) {
    Integer ttl = row.getInteger("access_token_ttl_seconds");
    return new ResourceRegistration(row.getString("uri"), new java.util.LinkedHashSet<>(List.of(row.getArrayOfStrings("scopes"))),
      Optional.ofNullable(ttl).map(Duration::ofSeconds));
  }
}
