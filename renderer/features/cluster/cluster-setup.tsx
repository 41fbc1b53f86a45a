import { type FormEvent, useState } from "react";
import type { MethodInput } from "../../../shared/contract/index";
import {
  type ClusterConfig,
  type ClusterContexts,
  ENVIRONMENT_NAMES,
  type EnvironmentName,
  type KubeconfigSource,
} from "../../../shared/contract/methods/cluster";
import { useClient } from "../../api/client-context";
import { useMethodCall } from "../../api/mutation";
import { ErrorBox } from "../../components/error-box";
import { ENVIRONMENT_LABELS } from "./cluster-format";

interface Row {
  enabled: boolean;
  context: string;
  namespaces: string;
  argocdContext: string;
  argocdNamespace: string;
}

function initialRows(config: ClusterConfig | null): Record<EnvironmentName, Row> {
  const rows = {} as Record<EnvironmentName, Row>;
  for (const name of ENVIRONMENT_NAMES) {
    const env = config?.environments.find((e) => e.name === name);
    rows[name] = {
      // A first connection offers all five environments; later, the ones configured.
      enabled: config === null || config.environments.length === 0 ? true : env !== undefined,
      context: env?.context ?? "",
      namespaces: env?.namespaces.join(", ") ?? `odoo-${name}`,
      argocdContext: env?.argocd.context ?? "",
      argocdNamespace: env?.argocd.namespace ?? "argocd",
    };
  }
  return rows;
}

/** Connects Shiftgate to the clusters: the kubeconfig (default, a file, or pasted) and each environment's names. */
export function ClusterSetup({
  config,
  onDone,
}: {
  readonly config: ClusterConfig | null;
  readonly onDone: () => void;
}) {
  const client = useClient();
  // The one write path of the renderer: the events the save brings back refresh the cluster reads, once.
  const configure = useMethodCall("cluster.configure");
  const [kind, setKind] = useState<KubeconfigSource["kind"]>(config?.kubeconfig.kind ?? "default");
  const [path, setPath] = useState(config?.kubeconfig.path ?? "");
  const [text, setText] = useState("");
  const [contexts, setContexts] = useState<ClusterContexts | null>(null);
  const [rows, setRows] = useState(() => initialRows(config));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const source = (): KubeconfigSource =>
    kind === "file" ? { kind, path } : kind === "content" ? { kind, text } : { kind: "default" };

  const readContexts = async () => {
    setError(null);
    try {
      const found = await client.call("cluster.contexts", { source: source() });
      setContexts(found);
      const first = found.currentContext ?? found.contexts[0]?.name ?? "";
      setRows((current) => {
        const next = { ...current };
        for (const name of ENVIRONMENT_NAMES) {
          const row = next[name];
          next[name] = { ...row, context: row.context || first, argocdContext: row.argocdContext || first };
        }
        return next;
      });
    } catch (e) {
      setError(e);
    }
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const input: MethodInput<"cluster.configure"> = {
      kubeconfig: source(),
      environments: ENVIRONMENT_NAMES.filter((n) => rows[n].enabled).map((name) => ({
        name,
        context: rows[name].context,
        namespaces: rows[name].namespaces.split(/[\s,]+/).filter((n) => n.length > 0),
        argocd: { context: rows[name].argocdContext, namespace: rows[name].argocdNamespace },
      })),
    };
    try {
      await configure.mutateAsync(input);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const update = (name: EnvironmentName, patch: Partial<Row>) =>
    setRows((current) => ({ ...current, [name]: { ...current[name], ...patch } }));
  const contextNames = contexts?.contexts.map((c) => c.name) ?? [];

  return (
    <form className="cluster-setup" onSubmit={save} data-testid="cluster-setup">
      <fieldset>
        <legend>Kubeconfig</legend>
        <p className="muted cluster-small">
          Shiftgate keeps only the file's path and the names below; credentials stay in the kubeconfig.
        </p>
        <label>
          <input type="radio" name="kc" checked={kind === "default"} onChange={() => setKind("default")} /> Default
          location (KUBECONFIG or ~/.kube/config)
        </label>
        <label>
          <input type="radio" name="kc" checked={kind === "file"} onChange={() => setKind("file")} /> A file:{" "}
          <input
            type="text"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            disabled={kind !== "file"}
            aria-label="Kubeconfig file path"
          />
        </label>
        <label>
          <input type="radio" name="kc" checked={kind === "content"} onChange={() => setKind("content")} /> Pasted
          content
        </label>
        {kind === "content" && (
          <textarea
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={6}
            aria-label="Kubeconfig content"
            spellCheck={false}
          />
        )}
        <div>
          <button type="button" className="btn" onClick={readContexts}>
            Read contexts
          </button>
          {contexts && (
            <span className="muted cluster-small" data-testid="cluster-contexts-found">
              {" "}
              {contexts.contexts.length === 1 ? "1 context found" : `${contexts.contexts.length} contexts found`}
            </span>
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>Environments</legend>
        <datalist id="cluster-contexts">
          {contextNames.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <table className="cluster-setup-table">
          <thead>
            <tr>
              <th>Environment</th>
              <th>Context</th>
              <th>Odoo namespaces</th>
              <th>Argo CD context</th>
              <th>Argo CD namespace</th>
            </tr>
          </thead>
          <tbody>
            {ENVIRONMENT_NAMES.map((name) => (
              <tr key={name}>
                <td>
                  <label>
                    <input
                      type="checkbox"
                      checked={rows[name].enabled}
                      onChange={(e) => update(name, { enabled: e.target.checked })}
                    />{" "}
                    {ENVIRONMENT_LABELS[name]}
                  </label>
                </td>
                <td>
                  <input
                    list="cluster-contexts"
                    value={rows[name].context}
                    onChange={(e) => update(name, { context: e.target.value })}
                    aria-label={`${name} context`}
                  />
                </td>
                <td>
                  <input
                    value={rows[name].namespaces}
                    onChange={(e) => update(name, { namespaces: e.target.value })}
                    aria-label={`${name} namespaces`}
                  />
                </td>
                <td>
                  <input
                    list="cluster-contexts"
                    value={rows[name].argocdContext}
                    onChange={(e) => update(name, { argocdContext: e.target.value })}
                    aria-label={`${name} Argo CD context`}
                  />
                </td>
                <td>
                  <input
                    value={rows[name].argocdNamespace}
                    onChange={(e) => update(name, { argocdNamespace: e.target.value })}
                    aria-label={`${name} Argo CD namespace`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
      {error !== null && <ErrorBox error={error} />}
      <div className="cluster-setup-actions">
        <button type="submit" className="btn primary" disabled={busy}>
          Save connection
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
