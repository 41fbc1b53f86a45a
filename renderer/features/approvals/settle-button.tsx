import { ErrorBox } from "../../components/error-box";
import { useCall } from "./use-call";

/** When the quorum is met by decisions made on other laptops, records the change as approved here. */
export function SettleButton({ changeId }: { readonly changeId: string }) {
  const settle = useCall("approval.settle");
  return (
    <div className="appr-settle" role="status">
      <p>The quorum is met by the signatures above; record the change as approved.</p>
      <button
        type="button"
        className="btn primary"
        disabled={settle.isPending}
        onClick={() => settle.mutate({ changeId })}
        data-testid="approval-settle"
      >
        Record as approved
      </button>
      {settle.error && <ErrorBox error={settle.error} />}
    </div>
  );
}
