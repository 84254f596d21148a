-- Scope registrations: a scope without one has no policy (any client registered for it gets it for any user).
-- required_groups: a user must be in one of them to be granted the scope; claims: claim=attribute mappings added
-- to the access token only when the scope is granted.
CREATE TABLE scopes (
  name            text PRIMARY KEY CHECK (name ~ '^[\x21\x23-\x5B\x5D-\x7E]+$'),
  required_groups text[] NOT NULL DEFAULT '{}',
  claims          jsonb NOT NULL DEFAULT '{}',
  description     text,
  managed         boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Resource indicators (RFC 8707): the absolute URIs a client may ask a token for, the scopes that belong to each,
-- and an optional access-token lifetime of their own.
CREATE TABLE resources (
  uri                      text PRIMARY KEY,
  scopes                   text[] NOT NULL DEFAULT '{}',
  access_token_ttl_seconds integer CHECK (access_token_ttl_seconds > 0),
  managed                  boolean NOT NULL DEFAULT false,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now()
);

-- Per client: claim=attribute mappings, and the subject type of OIDC Core §8 with its sector.
ALTER TABLE clients
  ADD COLUMN claims       jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN subject_type text NOT NULL DEFAULT 'public' CHECK (subject_type IN ('public', 'pairwise')),
  ADD COLUMN sector       text;

-- What a refresh must keep of the original grant: its resources (a refresh may narrow them, never add one), and
-- for OpenID Connect, when and how the user authenticated (auth_time and amr of every fresh ID token).
ALTER TABLE refresh_token_families
  ADD COLUMN resources text[] NOT NULL DEFAULT '{}',
  ADD COLUMN auth_time timestamptz,
  ADD COLUMN amr       text[] NOT NULL DEFAULT '{}';

-- The pairwise-subject key when oidc.pairwise_key is not configured: generated once, sealed by the keyring when it
-- has a key, the same for every replica.
CREATE TABLE pairwise_key (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  key        bytea,
  key_sealed bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((key IS NULL) <> (key_sealed IS NULL))
);
