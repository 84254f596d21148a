-- Signing keys generated into the database are sealed by the keyring (secrets.sealing_keys) once one is configured:
-- a database dump is then no copy of the signing key. Until then (and for rows of earlier releases) the private JWK
-- stays in private_jwk, which the previous release reads: `tokengate keys reseal` moves it into private_jwk_sealed.
ALTER TABLE signing_keys
  ADD COLUMN private_jwk_sealed bytea,
  ALTER COLUMN private_jwk DROP NOT NULL,
  ADD CONSTRAINT signing_keys_one_form CHECK ((private_jwk IS NULL) <> (private_jwk_sealed IS NULL));
