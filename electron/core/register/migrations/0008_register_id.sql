-- A register's own identity: the Audit-Head anchors it writes into the GitOps repository name it, so
-- `audit verify --repo` checks this register against its own anchors and not another laptop's.
INSERT INTO settings (key, value) VALUES ('register.id', lower(hex(randomblob(16))))
  ON CONFLICT (key) DO NOTHING;
