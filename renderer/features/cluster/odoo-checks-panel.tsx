import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { EnvironmentName } from "../../../shared/contract/methods/cluster";
import type { OdooCheckRun } from "../../../shared/contract/odoo";
import { useClient } from "../../api/client-context";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { OdooRunButton, OdooRunProgress, OdooRunTable } from "./odoo-run-parts";

function measured(c: OdooCheckRun["checks"][number]): string {
  if (c.value === null) return c.status === "not-installed" ? "not installed" : (c.note ?? "no value");
  return `${c.value}${c.unit ? ` ${c.unit}` : ""}`;
}

/** The gate checks of one environment's Odoo: the latest measured values against their thresholds, and "Run checks". */
export function OdooChecksPanel({ environment }: { readonly environment: EnvironmentName }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const latest = useMethodQuery("odoo.check.latest", { environment });
  const run = useMutation<OdooCheckRun, Error, void>({
    mutationFn: () => client.call("odoo.check.run", { environment }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["odoo.check.latest", { environment }] }),
  });
  const checks = run.data?.checks ?? latest.data?.runs.flatMap((r) => r.checks) ?? [];
  return (
    <div className="odoo-checks" data-testid={`odoo-checks-${environment}`}>
      <div className="odoo-smoke-controls">
        <OdooRunButton pending={run.isPending} idle="Run checks" busy="Running checks…" onRun={() => run.mutate()} />
        {run.data && (
          <span role="status" data-testid="odoo-checks-verdict">
            Checks {run.data.status === "pass" ? "passed" : run.data.status === "fail" ? "failed" : "could not measure"}{" "}
            · Odoo {run.data.serverVersion}
          </span>
        )}
      </div>
      <OdooRunProgress pending={run.isPending} error={run.error}>
        Asking {environment}'s Odoo (read only)…
      </OdooRunProgress>
      {latest.error && !run.data && <ErrorBox error={latest.error} />}
      {checks.length > 0 && (
        <OdooRunTable columns={["Check", "Gate", "Measured", "Threshold", "Result"]}>
          {checks.map((c) => (
            <tr
              key={`${c.gate}:${c.id}`}
              className={c.status === "fail" || c.status === "error" ? "odoo-step-failed" : ""}
            >
              <th scope="row">{c.title}</th>
              <td>{c.gate}</td>
              <td>{measured(c)}</td>
              <td>
                {c.threshold.op} {c.threshold.value}
              </td>
              <td>{c.status}</td>
            </tr>
          ))}
        </OdooRunTable>
      )}
    </div>
  );
}
