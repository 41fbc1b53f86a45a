-- What still has to travel once a change is in the GitOps repository (issue #17 item 4).
-- An assessment saved before the change was numbered, by a person whose key proved itself here, keeps which key that
-- was (a key reference, never a passphrase): the submission then publishes it signed by its assessor, not by the
-- requester who sends the change.
ALTER TABLE risk_assessments ADD COLUMN signer_key TEXT;

-- Evidence of a change as a whole that a signed record in the GitOps repository names (changes/<ID>/attachments/),
-- one row per record this laptop took: the bytes may be held here (an evidence row then exists too) or only named by
-- hash (kept in the attaching laptop's register and the plant's evidence store).
CREATE TABLE evidence_records (
  repo_path   TEXT PRIMARY KEY NOT NULL,
  change_id   TEXT NOT NULL REFERENCES changes (id),
  filename    TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  size        INTEGER NOT NULL,
  location    TEXT NOT NULL CHECK (location IN ('repo', 'store')),
  attached_by TEXT NOT NULL,
  attached_at TEXT NOT NULL,
  commit_sha  TEXT NOT NULL
) STRICT;
CREATE INDEX evidence_records_change ON evidence_records (change_id);
