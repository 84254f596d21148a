package io.tokengate.claims;

import io.vertx.core.Future;

/** Where scope and resource registrations are kept (every replica reads the same); adapter: store.ScopeStore. */
public interface RegistrationRecords {

  Future<Registrations> load();
}
