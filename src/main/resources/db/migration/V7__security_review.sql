-- Attempts reserve their place in the lockout count before their hash (so that parallel guesses cannot outrun the
-- threshold): in_flight attempts hold a lease until in_flight_until, and a reservation alone leaves a row with no
-- failures yet.
ALTER TABLE login_failures
  DROP CONSTRAINT login_failures_failures_check,
  ADD CONSTRAINT login_failures_failures_check CHECK (failures >= 0),
  ALTER COLUMN last_failure_at DROP NOT NULL,
  ADD COLUMN in_flight       integer NOT NULL DEFAULT 0 CHECK (in_flight >= 0),
  ADD COLUMN in_flight_until timestamptz;
