import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { MethodInput, MethodOutput } from "../../../shared/contract/index";
import type { GitopsConnectProbe } from "../../../shared/contract/methods/gitops";
import { useClient } from "../../api/client-context";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { runsDemo } from "./first-run-choice";

type Connect = "gitops.connect";

/**
 * The choice between the embedded demo and the plant's own repository, and the Connect form: look at the
 * repository (the core clones it aside and checks it), show its trust root, and join only once the person confirms
 * that commit. The core stages the clone; it takes over when Shiftgate next starts.
 */
export function ConnectForm() {
  const client = useClient();
  const status = useMethodQuery("app.status", {});
  const [url, setUrl] = useState("");
  const [branch, setBranch] = useState("main");
  // The repository looked at stays on screen when joining is refused (no proved key yet), so the person can retry.
  const [probe, setProbe] = useState<GitopsConnectProbe | null>(null);
  const connect = useMutation<MethodOutput<Connect>, Error, MethodInput<Connect>>({
    mutationFn: (input) => client.call("gitops.connect", input),
    onMutate: (input) => {
      if (!input.trustRoot) setProbe(null);
    },
    onSuccess: (value) => setProbe(value.status === "confirm" ? value.probe : null),
  });
  const result = connect.data;
  const onDemo = runsDemo(status.data?.gitops.remote);
  return (
    <section className="gitops-connect" aria-labelledby="connect-title" data-testid="connect">
      <h2 id="connect-title">Join my plant's repository</h2>
      <p className="muted" data-testid="connect-current">
        {onDemo
          ? "This laptop runs the embedded demo. Keep using it to try Shiftgate, or join your plant's GitOps repository."
          : `This laptop follows ${status.data?.gitops.remote ?? "no repository yet"}.`}
      </p>
      <form
        className="gitops-actions"
        onSubmit={(e) => {
          e.preventDefault();
          connect.mutate({ url: url.trim(), branch: branch.trim() || undefined });
        }}
      >
        <label>
          Repository address
          <input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="ssh://git@git.plant.example/ops/odoo-gitops.git"
            required
            data-testid="connect-url"
          />
        </label>
        <label>
          Branch
          <input value={branch} onChange={(e) => setBranch(e.target.value)} data-testid="connect-branch" />
        </label>
        <button type="submit" className="btn" disabled={connect.isPending || !url.trim()} data-testid="connect-look">
          Look at the repository
        </button>
        {connect.isPending && (
          <span role="status" data-testid="connect-progress">
            Cloning and checking the repository…
          </span>
        )}
      </form>
      {connect.error && <ErrorBox error={connect.error} />}
      {probe && (
        <div data-testid="connect-probe">
          <p>
            {probe.url} (branch {probe.branch}) holds {probe.changes} change(s); verify finds {probe.findings}{" "}
            problem(s).
          </p>
          <p>
            Trust root <code data-testid="connect-trust-root">{probe.trustRoot}</code> (
            {probe.trustRootSource === "committed" ? "named in .shiftgate/trust-root" : "its first commit"}). Compare it
            with the commit your policy-admin gave you before you join.
          </p>
          <button
            type="button"
            className="btn"
            disabled={connect.isPending}
            onClick={() => connect.mutate({ url: probe.url, branch: probe.branch, trustRoot: probe.trustRoot })}
            data-testid="connect-confirm"
          >
            The trust root is right: join
          </button>
        </div>
      )}
      {result?.status === "restart" && (
        <p role="status" data-testid="connect-restart">
          Ready: restart Shiftgate to open {result.probe.url}. This laptop's current repository and register will be
          kept in the data folder's archive.
        </p>
      )}
    </section>
  );
}
