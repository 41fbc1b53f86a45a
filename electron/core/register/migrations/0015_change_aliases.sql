-- Numbers a change was known by before the GitOps repository renumbered it (another laptop took the number first:
-- issue #17). A search, a deep link or a pipeline holding the old number still finds the change; the current number
-- always wins over an alias.
CREATE TABLE change_aliases (
  number    TEXT PRIMARY KEY,
  change_id TEXT NOT NULL REFERENCES changes(id),
  at        TEXT NOT NULL
) STRICT;
CREATE INDEX change_aliases_change ON change_aliases(change_id);
