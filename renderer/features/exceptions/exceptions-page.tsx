import { useState } from "react";
import type { ExceptionRecord } from "../../../shared/contract/methods/approvals";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { useHashParam } from "../approvals/hash-param";
import { IdentitySwitcher } from "../approvals/identity-switcher";
import { ExceptionForm } from "./exception-form";
import { ExceptionStatsPanel } from "./exception-stats";
import { ExceptionsTable } from "./exceptions-table";
import { ReviewDialog } from "./review-dialog";
import "../approvals/approvals.css";
import "./exceptions.css";

/** Emergency exceptions: the break-glass log, the register with overdue reviews first, reviews, monthly figures. */
export function ExceptionsPage() {
  const identity = useMethodQuery("identity.current", {});
  const list = useMethodQuery("exception.list", {});
  const highlight = useHashParam("change");
  const [reviewing, setReviewing] = useState<ExceptionRecord | null>(null);
  const overdue = list.data?.filter((r) => r.overdue).length ?? 0;
  return (
    <section className="page exceptions-page" aria-labelledby="exceptions-title">
      <h1 id="exceptions-title">Emergency exceptions</h1>
      <IdentitySwitcher />
      {overdue > 0 && (
        <p className="overdue-banner" role="alert" data-testid="overdue-banner">
          {overdue === 1 ? "1 retrospective review is overdue." : `${overdue} retrospective reviews are overdue.`}
        </p>
      )}
      {reviewing && <ReviewDialog record={reviewing} onClose={() => setReviewing(null)} />}
      <section className="panel" aria-labelledby="exceptions-register-title">
        <h2 id="exceptions-register-title">Exceptions register</h2>
        {list.error && <ErrorBox error={list.error} />}
        {list.data && <ExceptionsTable records={list.data} highlight={highlight} onReview={setReviewing} />}
      </section>
      {identity.data?.mayLogExceptions && <ExceptionForm />}
      <ExceptionStatsPanel />
    </section>
  );
}
