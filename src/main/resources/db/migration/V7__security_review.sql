-- Attempts reserve their place in the lockout count before their hash (so that parallel guesses cannot outrun the
-- threshold): in_flight attempts hold a lease until in_flight_until, and a reservation alone leaves a row with no
-- failures yet.
ALTER TABLE login_failures
  DROP CONSTRAINT login_failures_failures_check,
  ADD CONSTRAINT login_failures_failures_check CHECK (failures >= 0),
  ALTER COLUMN last_failure_at DROP NOT NULL,
  ADD COLUMN in_flight       integer NOT NULL DEFAULT 0 CHECK (in_flight >= 0),
  ADD COLUMN in_flight_until timestamptz;

-- users.username_key when it is not configured: generated once by the first replica that starts, the same for
-- all (HMAC-SHA256 of the normalized username keys login_failures and names usernames in audit lines).
-- rekeyed_at: when the lockout counts of existing users were moved from the unkeyed SHA-256 to the HMAC.
-- The key is sealed by the keyring (key_sealed) when secrets.sealing_keys has a key, else kept in `key` until
-- `tokengate keys reseal` seals it.
CREATE TABLE username_key (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  key        bytea CHECK (octet_length(key) = 32),
  key_sealed bytea,
  rekeyed_at timestamptz,
  CHECK ((key IS NULL) <> (key_sealed IS NULL))
);
