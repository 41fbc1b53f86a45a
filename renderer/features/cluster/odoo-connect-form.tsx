import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { ENVIRONMENT_NAMES, type EnvironmentName } from "../../../shared/contract/methods/cluster";
import type { OdooConnectionView } from "../../../shared/contract/odoo";
import { useClient } from "../../api/client-context";
import { ErrorBox } from "../../components/error-box";
import { Field } from "../../components/field";

type Step = "saving" | "testing";
interface Connected {
  readonly environment: string;
  readonly api: string;
  readonly serverVersion: string;
}

const API_NAMES: Readonly<Record<string, string>> = { json2: "JSON-2", jsonrpc: "JSON-RPC" };

/**
 * Connects an environment to its Odoo: saves the connection (odoo.connection.set), then asks Odoo through it
 * (odoo.connection.test) and shows the client's own words when it cannot. The API key is read from an uncontrolled
 * password field at submit and cleared after saving: it is never form state, never a mutation's variables (so
 * never in the query or mutation cache), and no method sends it back.
 */
export function OdooConnectForm({ connections }: { readonly connections: ReadonlyMap<string, OdooConnectionView> }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const [environment, setEnvironment] = useState<EnvironmentName>("qa");
  const existing = connections.get(environment);
  const [url, setUrl] = useState(existing?.url ?? "");
  const [database, setDatabase] = useState(existing?.database ?? "");
  const [login, setLogin] = useState(existing?.login ?? "");
  const [source, setSource] = useState<"app" | "env">(existing?.keyEnv ? "env" : "app");
  const [keyEnv, setKeyEnv] = useState(existing?.keyEnv ?? "");
  const [step, setStep] = useState<Step | null>(null);
  const keyRef = useRef<HTMLInputElement>(null);

  const pick = (next: EnvironmentName) => {
    const c = connections.get(next);
    setEnvironment(next);
    setUrl(c?.url ?? "");
    setDatabase(c?.database ?? "");
    setLogin(c?.login ?? "");
    setSource(c?.keyEnv ? "env" : "app");
    setKeyEnv(c?.keyEnv ?? "");
    connect.reset();
  };

  const connect = useMutation<Connected, Error, void>({
    mutationFn: async () => {
      const key = source === "app" ? (keyRef.current?.value ?? "") : "";
      setStep("saving");
      try {
        await client.call("odoo.connection.set", {
          environment,
          url: url.trim(),
          database: database.trim(),
          login: login.trim(),
          keyEnv: source === "env" ? keyEnv.trim() : null,
          // Blank: keep the key already stored for this environment.
          ...(key ? { key } : {}),
        });
      } finally {
        if (keyRef.current) keyRef.current.value = "";
      }
      await queryClient.invalidateQueries({ queryKey: ["odoo.connection.list"] });
      setStep("testing");
      return client.call("odoo.connection.test", { environment });
    },
    onSettled: () => setStep(null),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    connect.mutate();
  };

  return (
    <details className="odoo-connect" data-testid="odoo-connect">
      <summary>Connect an environment's Odoo</summary>
      <form onSubmit={submit} aria-label="Connect Odoo">
        <Field label="Environment" name="odoo-environment" required>
          {(p) => (
            <select {...p} value={environment} onChange={(e) => pick(e.target.value as EnvironmentName)}>
              {ENVIRONMENT_NAMES.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Odoo URL"
          name="odoo-url"
          required
          hint="https:// (plain http only for this machine: the key would cross the network unencrypted)"
        >
          {(p) => (
            <input {...p} type="url" value={url} onChange={(e) => setUrl(e.target.value)} required autoComplete="off" />
          )}
        </Field>
        <Field label="Database" name="odoo-database" required>
          {(p) => <input {...p} value={database} onChange={(e) => setDatabase(e.target.value)} required />}
        </Field>
        <Field label="Login" name="odoo-login" required hint="The API user: read-only rights are enough for checks">
          {(p) => <input {...p} value={login} onChange={(e) => setLogin(e.target.value)} required autoComplete="off" />}
        </Field>
        <fieldset className="odoo-key-source">
          <legend>Where the API key is kept</legend>
          <label>
            <input type="radio" name="odoo-key-source" checked={source === "app"} onChange={() => setSource("app")} />{" "}
            Kept by this app (the desktop's safeStorage; opened in a browser, a 0600 file in the data folder)
          </label>
          <label>
            <input type="radio" name="odoo-key-source" checked={source === "env"} onChange={() => setSource("env")} />{" "}
            Read from an environment variable
          </label>
        </fieldset>
        {source === "app" ? (
          <Field
            label="API key"
            name="odoo-key"
            hint={
              existing?.key.source
                ? "Leave blank to keep the key already stored"
                : "From the Odoo user's Preferences › Account Security"
            }
          >
            {(p) => <input {...p} ref={keyRef} type="password" autoComplete="off" spellCheck={false} />}
          </Field>
        ) : (
          <Field label="Variable name" name="odoo-key-env" required hint="e.g. ODOO_QA_KEY, set where the app runs">
            {(p) => <input {...p} value={keyEnv} onChange={(e) => setKeyEnv(e.target.value.toUpperCase())} required />}
          </Field>
        )}
        <button type="submit" className="btn btn-primary" disabled={connect.isPending}>
          {connect.isPending ? "Connecting…" : "Save and test"}
        </button>
        {step && (
          <p role="status" className="muted">
            {step === "saving" ? "Saving the connection…" : `Asking ${environment}'s Odoo who it is…`}
          </p>
        )}
        {connect.error && <ErrorBox error={connect.error} />}
        {connect.data && (
          <p role="status" data-testid="odoo-connect-result">
            Connected to {connect.data.environment}'s Odoo {connect.data.serverVersion} (
            {API_NAMES[connect.data.api] ?? connect.data.api})
          </p>
        )}
      </form>
    </details>
  );
}
