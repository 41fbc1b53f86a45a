// Pure: no window here, so the routes are tested (and type-checked) without a DOM.
/** Which register screen a hash names: the list, the new-change form, a change, or its edit form. */
export type RegisterView =
  | { readonly kind: "list" }
  | { readonly kind: "new" }
  | { readonly kind: "change"; readonly id: string }
  /** A change by its ledger number: what `shiftgate gitops notify` links to (the register looks the row up). */
  | { readonly kind: "number"; readonly number: string }
  | { readonly kind: "edit"; readonly id: string };

const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** A change number as the ledger writes it (shared/domain/register/change-number.ts). */
const CHANGE_NUMBER = /^CHG-\d{4}-\d{4,6}$/;

/** Parses `#/register`, `#/register/new`, `#/register/<id>`, `#/register/<id>/edit` and `#/register/<CHG number>`. */
export function registerViewFromHash(hash: string): RegisterView {
  const parts = hash.replace(/^#\/?/, "").split(/[?&]/)[0]?.split("/") ?? [];
  const [, first, second] = parts;
  if (first === "new") return { kind: "new" };
  if (first && ID.test(first)) return second === "edit" ? { kind: "edit", id: first } : { kind: "change", id: first };
  if (first && second === undefined && CHANGE_NUMBER.test(first)) return { kind: "number", number: first };
  return { kind: "list" };
}

/** The hash of a register screen. */
export function registerHref(view: RegisterView): string {
  switch (view.kind) {
    case "list":
      return "#/register";
    case "new":
      return "#/register/new";
    case "change":
      return `#/register/${view.id}`;
    case "number":
      return `#/register/${view.number}`;
    case "edit":
      return `#/register/${view.id}/edit`;
    default: {
      const never: never = view;
      return never;
    }
  }
}
