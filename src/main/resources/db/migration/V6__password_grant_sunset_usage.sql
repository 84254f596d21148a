-- Retiring the password grant client by client. From password_grant_sunset_at on, the client's password grants are
-- refused; before it, every password-grant response carries Deprecation (RFC 9745: password_grant_deprecated_at,
-- when the sunset was announced) and Sunset (RFC 8594). Both NULL: no sunset.
ALTER TABLE clients
  ADD COLUMN password_grant_deprecated_at timestamptz,
  ADD COLUMN password_grant_sunset_at     timestamptz,
  ADD CHECK ((password_grant_sunset_at IS NULL) = (password_grant_deprecated_at IS NULL)),
  ADD CHECK (password_grant_deprecated_at <= password_grant_sunset_at);

-- Password grants per client per UTC day, summed from every replica's periodic flushes: one row per client and day,
-- deleted after password_grant.usage_retention. No foreign key: usage outlives a client's registration.
-- distinct_users is NULL while the day is open (its users are then counted in password_grant_user_days) and set
-- when the day is closed.
CREATE TABLE password_grant_usage (
  client_id      text   NOT NULL,
  day            date   NOT NULL,
  successes      bigint NOT NULL DEFAULT 0 CHECK (successes >= 0),
  failures       bigint NOT NULL DEFAULT 0 CHECK (failures >= 0),
  first_used_at  timestamptz NOT NULL,
  last_used_at   timestamptz NOT NULL,
  distinct_users integer CHECK (distinct_users >= 0),
  PRIMARY KEY (client_id, day)
);
-- Purging goes by day; closing looks only at the few rows still open.
CREATE INDEX password_grant_usage_day ON password_grant_usage (day);
CREATE INDEX password_grant_usage_open ON password_grant_usage (day) WHERE distinct_users IS NULL;

-- The users who got a token by the password grant, per client, on days not yet closed: every replica inserts the
-- users of its flush (duplicates across replicas and flushes collapse on the key), and closing a day counts them into
-- password_grant_usage.distinct_users and deletes them. So the table holds at most about two days of distinct users.
CREATE TABLE password_grant_user_days (
  client_id text NOT NULL,
  day       date NOT NULL,
  user_id   uuid NOT NULL,
  PRIMARY KEY (client_id, day, user_id)
);
CREATE INDEX password_grant_user_days_day ON password_grant_user_days (day);
