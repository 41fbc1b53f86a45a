import { useState } from "react";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { ChangeForm } from "./change-form";
import { ChangePage } from "./change-page";
import { EMPTY_QUERY, type ListQuery } from "./list-query";
import { RegisterList } from "./register-list";
import { useRegisterView } from "./use-register-view";

function EditChange({ id }: { readonly id: string }) {
  const change = useMethodQuery("change.get", { id });
  if (change.isPending) return <p className="muted">Reading the change…</p>;
  if (change.error) return <ErrorBox error={change.error} />;
  return <ChangeForm change={change.data} />;
}

// A link from a notification names the change by its ledger number; the page itself is keyed by the row id.
function ChangeByNumber({ number }: { readonly number: string }) {
  const found = useMethodQuery("change.list", { q: number, pageSize: 5 });
  if (found.isPending) return <p className="muted">Finding {number}…</p>;
  if (found.error) return <ErrorBox error={found.error} />;
  // The change holding the number now; else the one that held it before a renumbering on push (the core finds it
  // by its alias), so an old link or notification still opens the right change.
  const row =
    found.data.items.find((c) => c.number === number) ??
    (found.data.items.length === 1 ? found.data.items[0] : undefined);
  if (!row)
    return (
      <p className="muted" data-testid="change-number-missing">
        {number} is not in this register yet. Sync with the GitOps repository, then open the link again.
      </p>
    );
  return <ChangePage key={row.id} id={row.id} />;
}

/**
 * The register feature: list, new-change form, change page and edit form under `#/register/…`. The list's
 * filters and cursor live here, so coming back from a change finds the list as it was left.
 */
export function RegisterPage() {
  const view = useRegisterView();
  const [query, setQuery] = useState<ListQuery>(EMPTY_QUERY);
  const [active, setActive] = useState(0);
  switch (view.kind) {
    case "list":
      return (
        <RegisterList
          query={query}
          onQuery={(q) => {
            setQuery(q);
            setActive(0);
          }}
          active={active}
          onActive={setActive}
        />
      );
    case "new":
      return <ChangeForm />;
    case "change":
      return <ChangePage key={view.id} id={view.id} />;
    case "edit":
      return <EditChange key={view.id} id={view.id} />;
    case "number":
      return <ChangeByNumber key={view.number} number={view.number} />;
    default: {
      const never: never = view;
      return never;
    }
  }
}
