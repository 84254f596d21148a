-- Users from every source share one table: a user of an external source (LDAP, a legacy SQL table) gets a row on its
-- first successful login, so that refresh families, lockout, the operator's commands and introspection work for it
-- as for a local user. Its id is a name-based UUID of (source, external_id), the same on every replica.
ALTER TABLE users
  ADD COLUMN source            text NOT NULL DEFAULT 'local' CHECK (source ~ '^[a-z][a-z0-9_]{0,31}$'),
  ADD COLUMN external_id       text,
  ADD COLUMN groups            text[] NOT NULL DEFAULT '{}',
  ADD COLUMN source_checked_at timestamptz,
  ALTER COLUMN password_hash DROP NOT NULL,
  -- A local user has a hash; an external one has an external id and no hash (its source checks the password).
  ADD CONSTRAINT users_source_shape CHECK (
    (source = 'local' AND password_hash IS NOT NULL)
    OR (source <> 'local' AND external_id IS NOT NULL AND password_hash IS NULL));

CREATE UNIQUE INDEX users_source_external_id ON users (source, external_id) WHERE external_id IS NOT NULL;
