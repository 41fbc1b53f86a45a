import { lazy, type ReactElement } from "react";
import { PAGES, type PageDef, type PageId } from "../shared/domain/app/pages";
import { LazyPage } from "./components/lazy-page";
import { ApprovalsPage } from "./features/approvals/approvals-page";
import { ClusterPage } from "./features/cluster/cluster-page";
import { ExceptionsPage } from "./features/exceptions/exceptions-page";
import { OutboxPage } from "./features/gitops/outbox-page";
import { HomePage } from "./features/home/home-page";
import { MeetingPage } from "./features/meeting/meeting-page";
import { RegisterPage } from "./features/register/register-page";
import { ReportsPage } from "./features/reports/reports-page";
import { StatusPage } from "./features/status/status-page";

// The calendar (with ical.js) loads when first opened, not with the app.
const CalendarPage = lazy(() => import("./features/calendar/calendar-page").then((m) => ({ default: m.CalendarPage })));

/** One entry of the app frame's navigation; `key` is the Alt+key shortcut. */
export interface RouteDef extends PageDef {
  readonly render: () => ReactElement;
}

const RENDER: Readonly<Record<PageId, () => ReactElement>> = {
  home: () => <HomePage />,
  register: () => <RegisterPage />,
  calendar: () => (
    <LazyPage what="calendar">
      <CalendarPage />
    </LazyPage>
  ),
  approvals: () => <ApprovalsPage />,
  exceptions: () => <ExceptionsPage />,
  cluster: () => <ClusterPage />,
  meeting: () => <MeetingPage />,
  gitops: () => <OutboxPage />,
  reports: () => <ReportsPage />,
  status: () => <StatusPage />,
};

/** The app's pages in navigation order (shared/domain/app/pages.ts, which the desktop menu reads too). */
export const routes: readonly RouteDef[] = PAGES.map((p) => ({ ...p, render: RENDER[p.id] }));

/** The route a location hash names, or the first route. */
export function routeFromHash(hash: string): RouteDef {
  const id = hash.replace(/^#\/?/, "").split(/[/?&]/)[0] ?? "";
  return routes.find((r) => r.id === id) ?? (routes[0] as RouteDef);
}
