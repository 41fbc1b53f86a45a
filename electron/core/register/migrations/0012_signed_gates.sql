-- Gates as signed evidence (issue #15): a gate record keeps the measured values against their targets and the
-- hashes of its evidence files, and where it came from (the file in the GitOps repository and the commit that
-- wrote it, for records made here or imported on sync). Gate files travel through the outbox as kind 'gate';
-- SQLite cannot widen a CHECK in place, so the outbox table is rebuilt (no foreign keys point at it).

ALTER TABLE gates ADD COLUMN measurements TEXT NOT NULL DEFAULT '[]';  -- JSON [{name, value, unit, target, ok}]
ALTER TABLE gates ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';      -- JSON [{filename, sha256, size, location}]
ALTER TABLE gates ADD COLUMN repo_path TEXT;                           -- changes/<ID>/gates/<file>.yaml, else null
ALTER TABLE gates ADD COLUMN commit_sha TEXT;                          -- the commit that wrote it (imported ones)
CREATE UNIQUE INDEX gates_repo_path ON gates (repo_path) WHERE repo_path IS NOT NULL;

CREATE TABLE gitops_outbox_new (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('submission', 'approval', 'rejection', 'exception', 'review', 'release',
                    'gate')),
  change_number   TEXT,
  subject         TEXT NOT NULL,
  files           TEXT NOT NULL,
  message         TEXT NOT NULL,
  signer          TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'committed', 'pushed', 'abandoned')),
  sha             TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  next_attempt_at TEXT,
  pushed_at       TEXT
);
INSERT INTO gitops_outbox_new SELECT id, kind, change_number, subject, files, message, signer, state, sha, attempts,
  last_error, created_at, next_attempt_at, pushed_at FROM gitops_outbox;
DROP TABLE gitops_outbox;
ALTER TABLE gitops_outbox_new RENAME TO gitops_outbox;
CREATE INDEX gitops_outbox_state ON gitops_outbox (state, created_at);
