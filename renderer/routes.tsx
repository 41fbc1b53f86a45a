import type { ReactElement } from "react";
import { ApprovalsPage } from "./features/approvals/approvals-page";
import { CalendarPage } from "./features/calendar/calendar-page";
import { ClusterPage } from "./features/cluster/cluster-page";
import { ExceptionsPage } from "./features/exceptions/exceptions-page";
import { OutboxPage } from "./features/gitops/outbox-page";
import { HomePage } from "./features/home/home-page";
import { MeetingPage } from "./features/meeting/meeting-page";
import { RegisterPage } from "./features/register/register-page";
import { ReportsPage } from "./features/reports/reports-page";
import { StatusPage } from "./features/status/status-page";

/** One entry of the app frame's navigation; `key` is the Alt+key shortcut. */
export interface RouteDef {
  readonly id: string;
  readonly label: string;
  readonly key: string;
  readonly render: () => ReactElement;
}

/** The app's pages in navigation order; each feature replaces its placeholder. */
export const routes: readonly RouteDef[] = [
  { id: "home", label: "Home", key: "9", render: () => <HomePage /> },
  {
    id: "register",
    label: "Register",
    key: "1",
    render: () => <RegisterPage />,
  },
  {
    id: "calendar",
    label: "Calendar",
    key: "2",
    render: () => <CalendarPage />,
  },
  {
    id: "approvals",
    label: "Approvals",
    key: "3",
    render: () => <ApprovalsPage />,
  },
  {
    id: "exceptions",
    label: "Exceptions",
    key: "4",
    render: () => <ExceptionsPage />,
  },
  {
    id: "cluster",
    label: "Cluster",
    key: "5",
    render: () => <ClusterPage />,
  },
  {
    id: "meeting",
    label: "CAB meeting",
    key: "6",
    render: () => <MeetingPage />,
  },
  { id: "gitops", label: "GitOps", key: "7", render: () => <OutboxPage /> },
  { id: "reports", label: "Reports", key: "8", render: () => <ReportsPage /> },
  { id: "status", label: "Status", key: "0", render: () => <StatusPage /> },
];

/** The route a location hash names, or the first route. */
export function routeFromHash(hash: string): RouteDef {
  const id = hash.replace(/^#\/?/, "").split(/[/?&]/)[0] ?? "";
  return routes.find((r) => r.id === id) ?? (routes[0] as RouteDef);
}
