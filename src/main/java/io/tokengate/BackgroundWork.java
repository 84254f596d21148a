package io.tokengate;

import io.tokengate.config.Config;
import io.tokengate.store.ExpiredRowsTable;
import io.tokengate.store.SigningKeysTable;
import io.tokengate.token.DatabaseKeyReloader;
import io.tokengate.token.DatabaseKeys;
import io.tokengate.token.ExpiredTokenPurger;
import io.tokengate.token.JwksFileWatcher;
import io.tokengate.usage.PasswordGrantUsage;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The periodic work of a replica, each on a Vert.x timer cancelled first at shutdown: purging expired rows,
 * flushing password-grant usage, and picking up signing-key changes (a replaced JWKS file, or rotations in the
 * database).
 *
 * @param keyReloader present when the signing keys come from the database
 */
record BackgroundWork(List<Long> timers, Optional<DatabaseKeyReloader> keyReloader) {

  static BackgroundWork schedule(Platform platform, StoredState state, Config config, Clock clock,
                                 PasswordGrantUsage passwordGrantUsage) {
    List<Long> timers = new ArrayList<>();
    timers.add(new ExpiredTokenPurger(new ExpiredRowsTable(platform.pool()), clock, config.maintenance(), config.lockout(),
      platform.registry()).schedule(platform.vertx(), config.maintenance()));
    timers.add(passwordGrantUsage.schedule(platform.vertx(), config.passwordGrant().usageFlushInterval()));
    Duration reload = config.tokens().jwksReloadInterval();
    config.tokens().jwksFile().filter(file -> !reload.isZero()).ifPresent(file -> timers.add(
      new JwksFileWatcher(file, config.tokens().signingAlgorithm(), state.keys(), platform.registry(), clock)
        .schedule(platform.vertx(), reload.toMillis())));
    Optional<DatabaseKeyReloader> keyReloader = config.tokens().jwksFile().isPresent() ? Optional.empty()
      : Optional.of(new DatabaseKeyReloader(platform.vertx(), new DatabaseKeys(new SigningKeysTable(platform.pool()), config.keyring(), clock,
      config.tokens().accessTokenLifetime()), config.tokens().signingAlgorithm(), state.keys(), platform.registry()));
    keyReloader.ifPresent(reloader -> timers.add(reloader.schedule(config.tokens().keysReloadInterval().toMillis())));
    return new BackgroundWork(List.copyOf(timers), keyReloader);
  }
}
