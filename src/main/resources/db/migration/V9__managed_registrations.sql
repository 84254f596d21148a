-- Registrations that `tokengate apply` created or updated (adopting one made by hand) are managed: `apply --prune`
-- disables or deletes managed ones the file no longer lists, and never touches a registration no file has listed.
ALTER TABLE clients ADD COLUMN managed boolean NOT NULL DEFAULT false;
