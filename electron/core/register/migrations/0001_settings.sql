-- Local settings of this install (GitOps repository location, identity key path, UI preferences).
CREATE TABLE settings (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) STRICT;
