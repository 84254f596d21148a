-- Client authentication beyond shared secrets: client assertions (RFC 7523), mutual TLS (RFC 8705), and tokens bound
-- to a certificate or a DPoP key (RFC 8705 §3, RFC 9449).
ALTER TABLE clients
  -- client_secret_jwt needs the secret itself to check an HMAC: AES-256-GCM under clients.secret_encryption_key,
  -- bound to the client id. Never the only copy of anything: secret_hash still verifies Basic and post.
  ADD COLUMN secret_sealed            bytea,
  -- private_key_jwt and self_signed_tls_client_auth: the client's public keys, registered or fetched.
  ADD COLUMN jwks                     text,
  ADD COLUMN jwks_uri                 text,
  -- tls_client_auth: the one certificate attribute that identifies the client (RFC 8705 §2.1.2).
  ADD COLUMN tls_identity_kind        text CHECK (tls_identity_kind IN ('subject_dn', 'san_dns', 'san_uri', 'san_ip',
                                                                        'san_email')),
  ADD COLUMN tls_identity_value       text,
  -- self_signed_tls_client_auth: SHA-256 thumbprints (x5t#S256) of its registered certificates.
  ADD COLUMN certificate_thumbprints  text[] NOT NULL DEFAULT '{}',
  ADD COLUMN certificate_bound_tokens boolean NOT NULL DEFAULT false,
  ADD COLUMN require_dpop             boolean NOT NULL DEFAULT false,
  ADD CHECK ((tls_identity_kind IS NULL) = (tls_identity_value IS NULL)),
  ADD CHECK (jwks IS NULL OR jwks_uri IS NULL);

-- Client assertion ids already used, until the assertion expires: a replay fails on every replica (RFC 7523 §3).
CREATE TABLE client_assertion_jti (
  client_id  text NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  jti        text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertion_jti_expiry ON client_assertion_jti (expires_at);

-- DPoP proof ids already used, per proof key, until the proof is too old to be accepted anyway (RFC 9449 §11.1).
CREATE TABLE dpop_proof_jti (
  jkt        text NOT NULL,
  jti        text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (jkt, jti)
);
CREATE INDEX dpop_proof_jti_expiry ON dpop_proof_jti (expires_at);

-- A session started with a DPoP proof stays bound to that key: its refresh tokens need a proof by the same key.
ALTER TABLE refresh_token_families ADD COLUMN dpop_jkt text;
