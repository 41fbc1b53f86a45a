import type { ChangeSummary } from "../../../shared/contract/index";
import { displayNumber } from "../../../shared/domain/register/change-number";
import { useMethodQuery } from "../../api/queries";
import { RiskBadge, WindowPassedBadge } from "../../components/badge";
import { ErrorBox } from "../../components/error-box";
import { PlantWindow } from "../../components/plant-window";

/** The header cells over ChangeCells' columns. */
function ChangeHeads() {
  return (
    <>
      <th>Change</th>
      <th>Risk</th>
      <th>Plants</th>
      <th>Window</th>
    </>
  );
}

/** A change's number and title, risk, plants and window, as both lists show them. */
function ChangeCells({ change }: { readonly change: ChangeSummary }) {
  return (
    <>
      <td className="inbox-title">
        <span className="muted">{displayNumber(change)}</span> {change.title}
      </td>
      <td>
        <RiskBadge risk={change.risk} emergency={change.type === "emergency"} />
      </td>
      <td>{change.plants.join(", ")}</td>
      <td className="appr-nowrap">
        <PlantWindow window={change.window} plants={change.plants} first />{" "}
        <WindowPassedBadge passed={change.windowPassed} />
      </td>
    </>
  );
}

/** What awaits my decision, the earliest window first (the core sorts and filters by my key). */
export function InboxList({ onOpen }: { readonly onOpen: (id: string) => void }) {
  const inbox = useMethodQuery("approval.inbox", {});
  return (
    <section className="panel" aria-labelledby="inbox-title">
      <h2 id="inbox-title">Awaiting my decision</h2>
      {inbox.error && <ErrorBox error={inbox.error} />}
      {inbox.data && inbox.data.length === 0 && (
        <p className="muted" data-testid="inbox-empty">
          Nothing awaits your decision.
        </p>
      )}
      {inbox.data && inbox.data.length > 0 && (
        <table className="approvals-table" data-testid="inbox">
          <thead>
            <tr>
              <ChangeHeads />
              <th>Still needs</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {inbox.data.map((item) => (
              <tr key={item.change.id} data-testid="inbox-item" data-change-id={item.change.id}>
                <ChangeCells change={item.change} />
                <td>
                  {item.quorumSummary}
                  <span className="muted"> · you: {item.scopes.join(" + ")}</span>
                </td>
                <td>
                  <button type="button" className="btn primary" onClick={() => onOpen(item.change.id)}>
                    Review
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Every change awaiting approval, so anyone can see where each one stands (and why they may not sign). */
export function AwaitingList({ onOpen }: { readonly onOpen: (id: string) => void }) {
  const list = useMethodQuery("change.list", {
    status: ["awaiting-approval"],
    sort: { field: "windowStart", dir: "asc" },
    pageSize: 200,
  });
  return (
    <section className="panel" aria-labelledby="awaiting-title">
      <h2 id="awaiting-title">All changes awaiting approval</h2>
      {list.error && <ErrorBox error={list.error} />}
      {list.data && list.data.items.length === 0 && <p className="muted">No change awaits approval.</p>}
      {list.data && list.data.items.length > 0 && (
        <table className="approvals-table" data-testid="awaiting">
          <thead>
            <tr>
              <ChangeHeads />
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((change) => (
              <tr key={change.id} data-testid="awaiting-item" data-change-id={change.id}>
                <ChangeCells change={change} />
                <td>
                  <button type="button" className="btn" onClick={() => onOpen(change.id)}>
                    Open
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
