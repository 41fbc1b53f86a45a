-- Approvals, emergency exceptions and retrospective reviews: electronic signature records (21 CFR 11.50, 11.70).
-- Rows are never updated: a person's later decision on the same change and scope is a new row, and the latest
-- row is their current decision (as the GitOps repository's one-file-per-approval overwrite works).

CREATE TABLE approvals (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  change_id       TEXT NOT NULL REFERENCES changes (id),
  scope           TEXT NOT NULL CHECK (scope IN ('deploy', 'db-migration')),
  decision        TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
  meaning         TEXT NOT NULL,
  signer_email    TEXT NOT NULL,
  signer_name     TEXT NOT NULL,   -- the printed name, as policy.yaml had it when signing
  signer_role     TEXT NOT NULL,
  signed_at       TEXT NOT NULL,   -- RFC 3339 with the signer's offset
  signed_at_ms    INTEGER NOT NULL,
  time_zone       TEXT NOT NULL,
  change_digest   TEXT NOT NULL,   -- sha256:<hex> of change.yaml as approved
  key_fingerprint TEXT NOT NULL,
  signature       TEXT NOT NULL,   -- the SSH signature over the canonical approval record
  commit_sha      TEXT
) STRICT;

CREATE INDEX approvals_change ON approvals (change_id, signer_email, scope, seq);

-- The moment a change's approvals first met the quorum for a digest: the end of its approval lead time.
CREATE TABLE approval_outcomes (
  change_id     TEXT NOT NULL REFERENCES changes (id),
  change_digest TEXT NOT NULL,
  met_at        TEXT NOT NULL,
  met_at_ms     INTEGER NOT NULL,
  PRIMARY KEY (change_id, change_digest)
) STRICT;

CREATE TABLE exceptions (
  id              TEXT PRIMARY KEY NOT NULL,
  change_id       TEXT NOT NULL UNIQUE REFERENCES changes (id),
  justification   TEXT NOT NULL,
  incident        TEXT NOT NULL,
  plants          TEXT NOT NULL,   -- JSON array
  break_start     TEXT NOT NULL,
  break_end       TEXT NOT NULL,
  break_end_ms    INTEGER NOT NULL,
  actions         TEXT NOT NULL,   -- what was done under break-glass
  meaning         TEXT NOT NULL,
  logged_email    TEXT NOT NULL,
  logged_name     TEXT NOT NULL,
  logged_role     TEXT NOT NULL,
  logged_at       TEXT NOT NULL,
  time_zone       TEXT NOT NULL,
  review_due_ms   INTEGER NOT NULL,
  key_fingerprint TEXT NOT NULL,
  signature       TEXT NOT NULL,
  commit_sha      TEXT
) STRICT;

CREATE INDEX exceptions_due ON exceptions (review_due_ms);

CREATE TABLE exception_reviews (
  change_id       TEXT PRIMARY KEY NOT NULL REFERENCES exceptions (change_id),
  outcome         TEXT NOT NULL CHECK (outcome IN ('accepted', 'follow-up-required')),
  notes           TEXT NOT NULL,
  meaning         TEXT NOT NULL,
  reviewer_email  TEXT NOT NULL,
  reviewer_name   TEXT NOT NULL,
  reviewer_role   TEXT NOT NULL,
  reviewed_at     TEXT NOT NULL,
  reviewed_at_ms  INTEGER NOT NULL,
  time_zone       TEXT NOT NULL,
  key_fingerprint TEXT NOT NULL,
  signature       TEXT NOT NULL,
  commit_sha      TEXT
) STRICT;

-- Signature records are evidence: like the audit chain, they cannot be edited or deleted.
CREATE TRIGGER approvals_no_update BEFORE UPDATE ON approvals BEGIN SELECT RAISE(ABORT, 'approvals are append-only'); END;
CREATE TRIGGER approvals_no_delete BEFORE DELETE ON approvals BEGIN SELECT RAISE(ABORT, 'approvals are append-only'); END;
CREATE TRIGGER exceptions_no_update BEFORE UPDATE ON exceptions BEGIN SELECT RAISE(ABORT, 'exceptions are append-only'); END;
CREATE TRIGGER exceptions_no_delete BEFORE DELETE ON exceptions BEGIN SELECT RAISE(ABORT, 'exceptions are append-only'); END;
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON exception_reviews BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON exception_reviews BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
