-- foreign-keys: off
-- A change whose release went out without the approvals its policy needs, or running something other than what was
-- approved, is `unauthorised` (issue #13): never validating or closed. SQLite cannot widen a CHECK in place, so the
-- table is rebuilt the documented way (foreign keys off for this migration only, checked before commit; the runner
-- reads the first line). Rows keep their rid, so the full-text index (rowid = rid) stays valid.

CREATE TABLE changes_new (
  rid               INTEGER PRIMARY KEY,
  id                TEXT NOT NULL UNIQUE,
  number            TEXT UNIQUE,
  title             TEXT NOT NULL,
  description       TEXT NOT NULL,
  type              TEXT NOT NULL CHECK (type IN ('standard', 'normal', 'emergency')),
  status            TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'assessed', 'awaiting-approval',
                      'approved', 'scheduled', 'implementing', 'validating', 'closed', 'rejected', 'cancelled',
                      'failed', 'rolled-back', 'unauthorised')),
  area              TEXT NOT NULL CHECK (area IN ('mrp', 'bom', 'warehouse', 'quality', 'barcode', 'procurement',
                      'accounting', 'integration', 'reporting', 'platform')),
  plants            TEXT NOT NULL,  -- JSON array, in the order given; change_plants indexes it
  plant_mask        INTEGER NOT NULL DEFAULT 0,  -- one bit per plant (plant_bits): plant filters stay inside an index
  environment       TEXT NOT NULL CHECK (environment IN ('development', 'integration', 'qa', 'preproduction', 'production')),
  stage             TEXT NOT NULL CHECK (stage IN ('development', 'integration', 'qa', 'preproduction', 'production')),
  risk              TEXT CHECK (risk IN ('low', 'medium', 'high')),
  risk_rank         INTEGER,        -- 1 low, 2 medium, 3 high: sorts by severity, not alphabetically
  risk_score        INTEGER,
  requester_name    TEXT NOT NULL,
  requester_email   TEXT NOT NULL,
  implementer_name  TEXT,
  implementer_email TEXT,
  window_start      TEXT,           -- RFC 3339 as given, with its zone
  window_end        TEXT,
  window_start_ms   INTEGER,        -- the same instants in epoch ms, for overlap filters and sorting
  window_end_ms     INTEGER,
  db_migration      INTEGER NOT NULL CHECK (db_migration IN (0, 1)),
  rollback_plan     TEXT NOT NULL,
  snapshot_ref      TEXT,
  checkpoint_ref    TEXT,
  link_incident     TEXT,
  link_ticket       TEXT,
  link_pr           TEXT,
  validation        TEXT NOT NULL,  -- JSON array of gate names required at each stage
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  version           INTEGER NOT NULL,
  deleted_at        TEXT,           -- tombstone: the row stays for the audit trail
  deleted_reason    TEXT,
  template          TEXT            -- 0009: the standard-change template a standard change is raised from
) STRICT;

INSERT INTO changes_new SELECT * FROM changes;
DROP TABLE changes;
-- Other tables' triggers name `changes`: the legacy rename does not re-check them while the name is briefly free.
PRAGMA legacy_alter_table = ON;
ALTER TABLE changes_new RENAME TO changes;
PRAGMA legacy_alter_table = OFF;

CREATE INDEX changes_updated ON changes (updated_at) WHERE deleted_at IS NULL;
CREATE INDEX changes_window ON changes (window_start_ms) WHERE deleted_at IS NULL;
-- Covers every list filter and the common sort keys, so counting a filtered list never reads the table
-- (deleted_at is listed too: without it SQLite does not treat the partial index as covering).
CREATE INDEX changes_filter ON changes (status, area, environment, risk_rank, type, plant_mask, window_start_ms,
  window_end_ms, updated_at, created_at, deleted_at) WHERE deleted_at IS NULL;

CREATE TRIGGER changes_fts_insert AFTER INSERT ON changes BEGIN
  INSERT INTO change_fts (rowid, title, description, comments) VALUES (new.rid, new.title, new.description, '');
END;
CREATE TRIGGER changes_fts_update AFTER UPDATE OF title, description ON changes BEGIN
  UPDATE change_fts SET title = new.title, description = new.description WHERE rowid = new.rid;
END;
CREATE TRIGGER changes_fts_tombstone AFTER UPDATE OF deleted_at ON changes WHEN new.deleted_at IS NOT NULL BEGIN
  DELETE FROM change_fts WHERE rowid = new.rid;
END;
