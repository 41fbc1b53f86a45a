import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { EnvironmentName } from "../../../shared/contract/methods/cluster";
import type { SmokeMode, SmokeRun } from "../../../shared/contract/odoo-smoke";
import { useClient } from "../../api/client-context";
import { OdooRunButton, OdooRunProgress, OdooRunTable } from "./odoo-run-parts";

const MODE_LABELS: Readonly<Record<SmokeMode, string>> = {
  auto: "As the policy allows",
  "read-only": "Read-only set",
  write: "Write transactions",
};

/**
 * "Run smoke" for one environment's Odoo: the mode (the core refuses writes the policy does not allow, so the page
 * only asks), a status line while it runs, then each step with its time and what it saw, and anything left behind.
 */
export function OdooSmokePanel({ environment }: { readonly environment: EnvironmentName }) {
  const client = useClient();
  const modeId = useId();
  const [mode, setMode] = useState<SmokeMode>("auto");
  const smoke = useMutation<SmokeRun, Error, SmokeMode>({
    mutationFn: (m) => client.call("odoo.smoke", { environment, mode: m }),
  });
  const run = smoke.data;
  return (
    <div className="odoo-smoke" data-testid={`odoo-smoke-${environment}`}>
      <div className="odoo-smoke-controls">
        <label htmlFor={modeId}>Smoke</label>
        <select id={modeId} value={mode} onChange={(e) => setMode(e.target.value as SmokeMode)}>
          {(Object.keys(MODE_LABELS) as SmokeMode[]).map((m) => (
            <option key={m} value={m}>
              {MODE_LABELS[m]}
            </option>
          ))}
        </select>
        <OdooRunButton
          pending={smoke.isPending}
          idle="Run smoke"
          busy="Running smoke…"
          onRun={() => smoke.mutate(mode)}
        />
      </div>
      <OdooRunProgress pending={smoke.isPending} error={smoke.error}>
        Running the smoke in {environment}'s Odoo; written records are reversed before it ends.
      </OdooRunProgress>
      {run && !smoke.isPending && <SmokeResult run={run} />}
    </div>
  );
}

function SmokeResult({ run }: { readonly run: SmokeRun }) {
  return (
    <div className="odoo-smoke-result">
      <p role="status" data-testid="odoo-smoke-verdict">
        <strong>{run.passed ? "Smoke passed" : "Smoke failed"}</strong> · {run.mode} · Odoo {run.serverVersion}
      </p>
      <OdooRunTable columns={["Step", "Result", "Time", "Measured"]}>
        {run.steps.map((step) => (
          <tr key={`${step.phase}-${step.name}-${step.startedAt}`} className={step.ok ? "" : "odoo-step-failed"}>
            <th scope="row">
              {step.phase === "cleanup" ? "Cleanup: " : ""}
              {step.name}
            </th>
            <td>{step.ok ? "ok" : "failed"}</td>
            <td>{step.ms} ms</td>
            <td>
              {step.detail}
              {step.measured &&
                ` (${Object.entries(step.measured)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(", ")})`}
            </td>
          </tr>
        ))}
      </OdooRunTable>
      {run.leftBehind.length > 0 && (
        <div role="alert" data-testid="odoo-smoke-left">
          <strong>Left behind in Odoo: reverse or cancel these by hand.</strong>
          <ul>
            {run.leftBehind.map((r) => (
              <li key={`${r.model}:${r.id}`}>
                {r.model} {r.name} ({r.cleanup} failed)
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
