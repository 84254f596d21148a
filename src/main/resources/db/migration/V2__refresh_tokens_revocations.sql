-- Refresh-token lifetimes per client (NULL: the configured defaults).
ALTER TABLE clients
  ADD COLUMN refresh_token_ttl_seconds  integer CHECK (refresh_token_ttl_seconds > 0),
  ADD COLUMN refresh_token_idle_seconds integer CHECK (refresh_token_idle_seconds > 0);

-- A family is the chain of refresh tokens that started at one password grant: one session of one user at one
-- client. Its row is the lock that every decision about its tokens takes (rotation, reuse detection, revocation),
-- so that no revocation can miss a successor being added at the same moment.
CREATE TABLE refresh_token_families (
  family_id  uuid PRIMARY KEY,
  client_id  text NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  scopes     text[] NOT NULL,
  created_at timestamptz NOT NULL,
  -- Absolute: rotations do not extend it.
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX refresh_token_families_user ON refresh_token_families (user_id);
CREATE INDEX refresh_token_families_expiry ON refresh_token_families (expires_at);

-- Refresh tokens, stored only as the SHA-256 of the token. Every refresh retires the presented token ('rotated')
-- and adds its successor. Retired tokens stay until the family expires, so that a replayed one is recognised
-- (RFC 9700 §4.14.2).
CREATE TABLE refresh_tokens (
  token_hash       bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  family_id        uuid NOT NULL REFERENCES refresh_token_families (family_id) ON DELETE CASCADE,
  state            text NOT NULL CHECK (state IN ('active', 'rotated')),
  issued_at        timestamptz NOT NULL,
  idle_expires_at  timestamptz,
  rotated_at       timestamptz,
  successor_hash   bytea,
  -- With a reuse grace window: the successor itself, encrypted with a key derived from this token, so that only
  -- its holder can get the same successor again (and the database alone reveals nothing).
  successor_sealed bytea,
  grace_used       boolean NOT NULL DEFAULT false
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Access tokens revoked before their expiry (RFC 7009), by jti, until they would have expired anyway.
CREATE TABLE revoked_access_tokens (
  jti        text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX revoked_access_tokens_expiry ON revoked_access_tokens (expires_at);
