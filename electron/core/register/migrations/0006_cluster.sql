-- Where each environment's Odoo and its Argo CD run: context and namespace names only.
-- Credentials stay in the kubeconfig; its path is the settings row 'cluster.kubeconfig'.
CREATE TABLE cluster_environments (
  name             TEXT PRIMARY KEY NOT NULL
                   CHECK (name IN ('development', 'integration', 'qa', 'preproduction', 'production')),
  position         INTEGER NOT NULL,
  context          TEXT NOT NULL,
  namespaces       TEXT NOT NULL CHECK (json_valid(namespaces) AND json_type(namespaces) = 'array'),
  argocd_context   TEXT NOT NULL,
  argocd_namespace TEXT NOT NULL
) STRICT;
