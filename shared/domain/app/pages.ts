// The app's pages, in navigation order: one list for the renderer's navigation and the desktop menu, so a
// page and its shortcut are the same wherever it is reached from.

/** One page of the app: its route id, its label, and the digit of its Alt+digit shortcut. */
export interface PageDef {
  readonly id: string;
  readonly label: string;
  readonly key: string;
}

export const PAGES = [
  { id: "home", label: "Home", key: "9" },
  { id: "register", label: "Register", key: "1" },
  { id: "calendar", label: "Calendar", key: "2" },
  { id: "approvals", label: "Approvals", key: "3" },
  { id: "exceptions", label: "Exceptions", key: "4" },
  { id: "cluster", label: "Cluster", key: "5" },
  { id: "meeting", label: "CAB meeting", key: "6" },
  { id: "gitops", label: "GitOps", key: "7" },
  { id: "reports", label: "Reports", key: "8" },
  { id: "status", label: "Status", key: "0" },
] as const satisfies readonly PageDef[];

/** A page's route id. */
export type PageId = (typeof PAGES)[number]["id"];
