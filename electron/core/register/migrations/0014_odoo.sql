-- Odoo per environment (issue #18). The connection is where and as whom to connect; the API key is never here: it
-- is kept by safeStorage, a 0600 file in the data folder or an environment variable named in key_env.
CREATE TABLE odoo_connections (
  environment TEXT PRIMARY KEY,
  url         TEXT NOT NULL,
  database    TEXT NOT NULL,
  login       TEXT NOT NULL,
  key_env     TEXT
);

-- Each gate's outcome of each check run, with the run as measured (values, thresholds, queries, server version):
-- the latest row of an environment's gate decides whether a person may record that gate "pass" by hand.
CREATE TABLE odoo_check_runs (
  run_id      TEXT NOT NULL,
  environment TEXT NOT NULL,
  gate        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'error')),
  ran_at      TEXT NOT NULL,
  ran_by      TEXT NOT NULL,
  run         TEXT NOT NULL,
  PRIMARY KEY (run_id, gate)
);
CREATE INDEX odoo_check_runs_latest ON odoo_check_runs (environment, gate, ran_at);
