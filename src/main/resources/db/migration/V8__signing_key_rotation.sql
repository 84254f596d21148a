-- Rotation of signing keys generated into the database (`tokengate keys rotate`). A rotated-in key is 'next': it is
-- published in the JWKS at once and signs only from signs_from, so that resource servers caching the JWKS have it
-- before the first token it signs. When it takes over, the key before it is 'retired' at that moment and stays
-- published until published_until: the longest access-token lifetime it could have signed has then passed.
-- Rows of earlier releases (published_until NULL) stay published for a day after retired_at, as before.
ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_state_check;
ALTER TABLE signing_keys
  ADD CONSTRAINT signing_keys_state_check CHECK (state IN ('next', 'active', 'retired')),
  ADD COLUMN signs_from timestamptz,
  ADD COLUMN published_until timestamptz,
  ADD CONSTRAINT signing_keys_next_has_start CHECK (state <> 'next' OR signs_from IS NOT NULL);

-- At most one key waiting to sign per algorithm: a second rotation waits until the first has taken over.
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (algorithm) WHERE state = 'next';
