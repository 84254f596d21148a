-- Refresh-token lifetimes per client (NULL: the configured defaults).
ALTER TABLE clients
  ADD COLUMN refresh_token_ttl_seconds  integer CHECK (refresh_token_ttl_seconds > 0),
  ADD COLUMN refresh_token_idle_seconds integer CHECK (refresh_token_idle_seconds > 0);

-- Refresh tokens, stored only as the SHA-256 of the token. A family is the chain of tokens that started at one
-- password grant; every refresh retires the presented token ('rotated') and adds its successor. Rotated and
-- revoked rows stay until the family's absolute expiry so that a replayed token is recognised (RFC 9700 §4.14.2).
CREATE TABLE refresh_tokens (
  token_hash      bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  family_id       uuid NOT NULL,
  previous_hash   bytea,
  client_id       text NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  scopes          text[] NOT NULL,
  state           text NOT NULL CHECK (state IN ('active', 'rotated', 'revoked')),
  issued_at       timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  idle_expires_at timestamptz,
  rotated_at      timestamptz,
  grace_used      boolean NOT NULL DEFAULT false
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id) WHERE state = 'active';
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

-- Access tokens revoked before their expiry (RFC 7009), by jti, until they would have expired anyway.
CREATE TABLE revoked_access_tokens (
  jti        text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX revoked_access_tokens_expiry ON revoked_access_tokens (expires_at);
