import { ApprovalDialog } from "./approval-dialog";
import { setHashParam, useHashParam } from "./hash-param";
import { IdentitySwitcher } from "./identity-switcher";
import { AwaitingList, InboxList } from "./inbox-list";
import "./approvals.css";

/** The approvals page: who I am, what awaits my decision, and the dialog for the change opened (`?change=`). */
export function ApprovalsPage() {
  const open = useHashParam("change");
  const show = (id: string | null) => setHashParam("approvals", "change", id);
  return (
    <section className="page approvals-page" aria-labelledby="approvals-title">
      <h1 id="approvals-title">Approvals</h1>
      <IdentitySwitcher />
      {open && <ApprovalDialog changeId={open} onClose={() => show(null)} />}
      <InboxList onOpen={show} />
      <AwaitingList onOpen={show} />
    </section>
  );
}
