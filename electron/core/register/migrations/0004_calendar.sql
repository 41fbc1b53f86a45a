-- Plants and their calendars: one iCalendar text per plant, stored as imported so export is unchanged in meaning.
-- Deletes are tombstones (deleted_at); a name is unique among live plants, compared case-insensitively.

CREATE TABLE plants (
  rid         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9-]*'),
  name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
  time_zone   TEXT NOT NULL,
  ics         TEXT NOT NULL,
  source      TEXT,            -- file name or 'preset:<id>' it came from
  event_count INTEGER NOT NULL CHECK (event_count >= 0),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  deleted_at  TEXT
) STRICT;

CREATE UNIQUE INDEX plants_live_name ON plants (lower(name)) WHERE deleted_at IS NULL;
