-- Consecutive failed password grants per normalized username, whether or not that user exists (so that locking
-- reveals nothing). Keyed by the SHA-256 of the username: names of people who are not users are not kept in clear.
CREATE TABLE login_failures (
  username_hash   bytea PRIMARY KEY CHECK (octet_length(username_hash) = 32),
  failures        integer NOT NULL CHECK (failures > 0),
  last_failure_at timestamptz NOT NULL,
  locked_until    timestamptz
);
CREATE INDEX login_failures_last_failure ON login_failures (last_failure_at);

-- A TOTP second factor (RFC 6238): the secret sealed with AES-GCM under users.totp_encryption_key, and the last
-- time step accepted, so that a code cannot be used twice.
ALTER TABLE users
  ADD COLUMN totp_secret_sealed bytea,
  ADD COLUMN totp_last_step     bigint;

-- Per client: whether its password grants need the second factor, and its own request rate (NULL: the default).
ALTER TABLE clients
  ADD COLUMN otp_policy            text NOT NULL DEFAULT 'if-enrolled'
    CHECK (otp_policy IN ('off', 'if-enrolled', 'required')),
  ADD COLUMN rate_limit_per_second integer CHECK (rate_limit_per_second > 0);
