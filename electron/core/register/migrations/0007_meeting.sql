-- CAB meetings: the frozen agenda, who was there, time per item, decisions and notes; plus the home screen's
-- notification ledger. Decisions keep a copy of the signature manifestation so the minutes can be printed
-- the same way years later, whatever happens to the approvals tables' shape.

CREATE TABLE meetings (
  id           TEXT PRIMARY KEY NOT NULL,
  title        TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('open', 'ended')),
  chair        TEXT NOT NULL,
  time_zone    TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  horizon_end  TEXT NOT NULL,  -- the agenda took changes whose window starts before this instant
  ended_at     TEXT,
  notes        TEXT NOT NULL DEFAULT ''
) STRICT;
-- At most one meeting is open at a time: the agenda freeze and the "added late" list are about that one.
CREATE UNIQUE INDEX meetings_one_open ON meetings (status) WHERE status = 'open';

CREATE TABLE meeting_attendees (
  meeting_id TEXT NOT NULL REFERENCES meetings (id),
  email      TEXT NOT NULL,
  name       TEXT NOT NULL,
  roles      TEXT NOT NULL CHECK (json_valid(roles)),
  joined_at  TEXT NOT NULL,
  left_at    TEXT,
  PRIMARY KEY (meeting_id, email)
) STRICT;

CREATE TABLE meeting_items (
  meeting_id       TEXT NOT NULL REFERENCES meetings (id),
  change_id        TEXT NOT NULL,
  position         INTEGER NOT NULL,
  late             INTEGER NOT NULL CHECK (late IN (0, 1)),
  added_at         TEXT NOT NULL,
  -- The change as the agenda froze it (title, window, risk...), for minutes that do not drift.
  snapshot         TEXT NOT NULL CHECK (json_valid(snapshot)),
  seconds_spent    INTEGER NOT NULL DEFAULT 0,
  timer_started_at TEXT,
  notes            TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (meeting_id, change_id)
) STRICT;

CREATE TABLE meeting_decisions (
  id           TEXT PRIMARY KEY NOT NULL,
  meeting_id   TEXT NOT NULL REFERENCES meetings (id),
  change_id    TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('approved', 'rejected', 'deferred')),
  by_email     TEXT NOT NULL,
  by_name      TEXT NOT NULL,
  reason       TEXT,
  signatures   TEXT NOT NULL CHECK (json_valid(signatures)),  -- SignatureManifest[] with scope and approval id
  quorum       TEXT,
  status_after TEXT,
  at           TEXT NOT NULL
) STRICT;
CREATE INDEX meeting_decisions_meeting ON meeting_decisions (meeting_id, at);

-- Home-screen items the desktop shell has been told about: a key is notified once, across restarts.
CREATE TABLE home_notifications (
  seq          INTEGER PRIMARY KEY,
  key          TEXT NOT NULL UNIQUE,
  first_seen   TEXT NOT NULL,
  delivered_at TEXT
) STRICT;
