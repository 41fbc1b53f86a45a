-- The GitOps outbox: every commit the app makes is an intent row first, then a commit in the working copy
-- (found again by its Shiftgate-Intent trailer), then a push. Rows are never deleted: they are the record of
-- what this laptop sent to the shared repository and when.
CREATE TABLE gitops_outbox (
  id              TEXT PRIMARY KEY,             -- ULID, also the commit's Shiftgate-Intent trailer
  kind            TEXT NOT NULL CHECK (kind IN ('submission', 'approval', 'rejection', 'exception', 'review', 'release')),
  change_number   TEXT,                         -- CHG-<year>-<n>
  subject         TEXT NOT NULL,
  files           TEXT NOT NULL,                -- JSON [{path, content}]
  message         TEXT NOT NULL,                -- commit message without the intent trailer
  signer          TEXT NOT NULL,                -- JSON Signer without any passphrase
  state           TEXT NOT NULL CHECK (state IN ('pending', 'committed', 'pushed', 'abandoned')),
  sha             TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  next_attempt_at TEXT,
  pushed_at       TEXT
);
CREATE INDEX gitops_outbox_state ON gitops_outbox (state, created_at);
