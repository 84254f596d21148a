-- When the current run of places in flight began (reset when their lease lapses). A replica gives back a place it
-- kept for a clean success only into the run it was taken in, so a late give-back can never free a place of a
-- later run. NULL on rows written by earlier releases: nothing kept matches it.
ALTER TABLE login_failures ADD COLUMN in_flight_since timestamptz;
