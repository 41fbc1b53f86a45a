import type { ReactNode } from "react";
import { ErrorBox } from "../../components/error-box";

/** The run button of an Odoo panel: disabled while its run is going, and saying so. */
export function OdooRunButton(props: {
  readonly pending: boolean;
  readonly idle: string;
  readonly busy: string;
  readonly onRun: () => void;
}) {
  return (
    <button type="button" className="btn" onClick={props.onRun} disabled={props.pending}>
      {props.pending ? props.busy : props.idle}
    </button>
  );
}

/** What a running Odoo panel says while it waits, and the error its run ended with. */
export function OdooRunProgress(props: {
  readonly pending: boolean;
  readonly error: Error | null;
  readonly children: ReactNode;
}) {
  return (
    <>
      {props.pending && (
        <p role="status" className="muted">
          {props.children}
        </p>
      )}
      {props.error && <ErrorBox error={props.error} />}
    </>
  );
}

/** The table of an Odoo run's rows (checks or smoke steps) under its column headings. */
export function OdooRunTable(props: { readonly columns: readonly string[]; readonly children: ReactNode }) {
  return (
    <table className="odoo-steps">
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}
