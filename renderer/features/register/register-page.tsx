import { useEffect, useState } from "react";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { ChangeForm } from "./change-form";
import { ChangePage } from "./change-page";
import { EMPTY_QUERY, type ListQuery } from "./list-query";
import { hashForQuery, hashHasQuery, queryFromHash } from "./list-url";
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
  const [query, setQuery] = useState<ListQuery>(() =>
    hashHasQuery(window.location.hash) ? queryFromHash(window.location.hash) : EMPTY_QUERY,
  );
  const [active, setActive] = useState(0);
  // The filters and sort live in the hash, so a list is shareable and Back or a reload finds it again. A link with
  // a query sets them; a bare `#/register` (the menu) keeps the list as it was left and writes it back to the hash.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the hash names another screen, not per keystroke
  useEffect(() => {
    if (view.kind !== "list") return;
    const hash = window.location.hash;
    if (hashHasQuery(hash)) {
      const fromHash = queryFromHash(hash);
      setQuery((prev) => (JSON.stringify(prev) === JSON.stringify(fromHash) ? prev : fromHash));
    } else {
      window.history.replaceState(null, "", hashForQuery(query));
    }
  }, [view]);
  switch (view.kind) {
    case "list":
      return (
        <RegisterList
          query={query}
          onQuery={(q) => {
            setQuery(q);
            // Replace, not push: typing in the search box must not fill the history with one entry per letter.
            window.history.replaceState(null, "", hashForQuery(q));
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
