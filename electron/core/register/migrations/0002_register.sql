-- The change register: changes, comments, risk assessments, gates, evidence, full-text search and the audit chain.
-- Vocabularies are checked here too, so a row written around the core still cannot hold an unknown state.

CREATE TABLE changes (
  rid               INTEGER PRIMARY KEY,
  id                TEXT NOT NULL UNIQUE,
  number            TEXT UNIQUE,
  title             TEXT NOT NULL,
  description       TEXT NOT NULL,
  type              TEXT NOT NULL CHECK (type IN ('standard', 'normal', 'emergency')),
  status            TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'assessed', 'awaiting-approval',
                      'approved', 'scheduled', 'implementing', 'validating', 'closed', 'rejected', 'cancelled',
                      'failed', 'rolled-back')),
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
  deleted_reason    TEXT
) STRICT;

-- List queries only ever look at live rows, so the indexes skip tombstones.
CREATE INDEX changes_updated ON changes (updated_at) WHERE deleted_at IS NULL;
CREATE INDEX changes_window ON changes (window_start_ms) WHERE deleted_at IS NULL;
-- Covers every list filter and the common sort keys, so counting a filtered list never reads the table
-- (deleted_at is listed too: without it SQLite does not treat the partial index as covering).
CREATE INDEX changes_filter ON changes (status, area, environment, risk_rank, type, plant_mask, window_start_ms,
  window_end_ms, updated_at, created_at, deleted_at) WHERE deleted_at IS NULL;

-- The bit each plant holds in changes.plant_mask; plants beyond 63 get none and are filtered through change_plants.
CREATE TABLE plant_bits (
  plant TEXT PRIMARY KEY NOT NULL,
  bit   INTEGER NOT NULL UNIQUE CHECK (bit BETWEEN 0 AND 62)
) STRICT;

CREATE TABLE change_plants (
  plant     TEXT NOT NULL,
  change_id TEXT NOT NULL REFERENCES changes (id),
  PRIMARY KEY (plant, change_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE comments (
  id         TEXT PRIMARY KEY NOT NULL,
  change_id  TEXT NOT NULL REFERENCES changes (id),
  author     TEXT NOT NULL,
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX comments_change ON comments (change_id, created_at);

-- Every assessment is kept; the latest (highest rowid) per change is the one in force.
CREATE TABLE risk_assessments (
  id                     TEXT PRIMARY KEY NOT NULL,
  change_id              TEXT NOT NULL REFERENCES changes (id),
  questionnaire_version  INTEGER NOT NULL,
  answers                TEXT NOT NULL,
  breakdown              TEXT NOT NULL,
  score                  INTEGER NOT NULL,
  risk_class             TEXT NOT NULL CHECK (risk_class IN ('low', 'medium', 'high')),
  assessed_by            TEXT NOT NULL,
  assessed_at            TEXT NOT NULL
) STRICT;
CREATE INDEX risk_assessments_change ON risk_assessments (change_id);

-- Gate records are history: the latest per (change, stage, gate, target) is the gate's result.
CREATE TABLE gates (
  id              TEXT PRIMARY KEY NOT NULL,
  change_id       TEXT NOT NULL REFERENCES changes (id),
  stage           TEXT NOT NULL CHECK (stage IN ('development', 'integration', 'qa', 'preproduction', 'production')),
  gate            TEXT NOT NULL,
  target          TEXT,
  result          TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'waived')),
  reason          TEXT,
  waived_by       TEXT,
  waived_by_role  TEXT,
  recorded_by     TEXT NOT NULL,
  recorded_at     TEXT NOT NULL,
  CHECK (result <> 'waived' OR (reason IS NOT NULL AND waived_by IS NOT NULL))
) STRICT;
CREATE INDEX gates_change ON gates (change_id);

-- Attachment content, once per SHA-256, never changed or removed.
CREATE TABLE blobs (
  sha256  TEXT PRIMARY KEY NOT NULL,
  size    INTEGER NOT NULL,
  content BLOB NOT NULL
) STRICT;
CREATE TRIGGER blobs_no_update BEFORE UPDATE ON blobs BEGIN SELECT RAISE(ABORT, 'evidence content is never replaced'); END;
CREATE TRIGGER blobs_no_delete BEFORE DELETE ON blobs BEGIN SELECT RAISE(ABORT, 'evidence content is never removed'); END;

CREATE TABLE evidence (
  id           TEXT PRIMARY KEY NOT NULL,
  change_id    TEXT NOT NULL REFERENCES changes (id),
  gate_id      TEXT REFERENCES gates (id),
  filename     TEXT NOT NULL,
  media_type   TEXT NOT NULL,
  sha256       TEXT NOT NULL REFERENCES blobs (sha256),
  size         INTEGER NOT NULL,
  attached_by  TEXT NOT NULL,
  attached_at  TEXT NOT NULL
) STRICT;
-- The same content attached twice to the same place is one piece of evidence.
CREATE UNIQUE INDEX evidence_once ON evidence (change_id, ifnull(gate_id, ''), sha256);
CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence BEGIN SELECT RAISE(ABORT, 'evidence is never replaced'); END;

-- Full-text search over what people write about a change; rowid = changes.rid.
-- Prefix indexes make search-as-you-type (the last word is a prefix) fast on 100,000 changes.
CREATE VIRTUAL TABLE change_fts USING fts5 (title, description, comments, tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3 4');
CREATE TRIGGER changes_fts_insert AFTER INSERT ON changes BEGIN
  INSERT INTO change_fts (rowid, title, description, comments) VALUES (new.rid, new.title, new.description, '');
END;
CREATE TRIGGER changes_fts_update AFTER UPDATE OF title, description ON changes BEGIN
  UPDATE change_fts SET title = new.title, description = new.description WHERE rowid = new.rid;
END;
-- Tombstoned changes leave the index, so a plain search never has to look at the changes table.
CREATE TRIGGER changes_fts_tombstone AFTER UPDATE OF deleted_at ON changes WHEN new.deleted_at IS NOT NULL BEGIN
  DELETE FROM change_fts WHERE rowid = new.rid;
END;
CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN
  UPDATE change_fts SET comments = comments || char(10) || new.body
  WHERE rowid = (SELECT rid FROM changes WHERE id = new.change_id);
END;

-- The audit chain: one row per mutation, each holding the SHA-256 of the row before (prev_hash).
-- hash = SHA-256 of json_array(seq, prev_hash, at, actor, door, action, entity, entity_id, change_id,
-- before, after, reason), built by SQLite so writer and verifier see the same bytes.
CREATE TABLE audit (
  seq        INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  door       TEXT NOT NULL,
  action     TEXT NOT NULL,
  entity     TEXT NOT NULL,
  entity_id  TEXT,
  change_id  TEXT,
  before     TEXT,
  after      TEXT,
  reason     TEXT,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
) STRICT;
CREATE INDEX audit_entity ON audit (entity_id);
CREATE INDEX audit_change ON audit (change_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
