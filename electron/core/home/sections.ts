import type { AppErrorData, AuditEvent, ChangeSummary } from "../../../shared/contract/index";
import type { HomeItem, HomeSection, HomeSectionId } from "../../../shared/contract/methods/home";
import { formatZonedInstant } from "../../../shared/domain/calendar/plant-time";
import { BEFORE_WORK } from "../../../shared/domain/register/window-passed";
import type { Door } from "../dispatch";
import type { Attempted, TryCall } from "../meeting/core-call";

const HOUR = 3_600_000;

/** What each section reads with. */
export interface SectionEnv {
  readonly attempt: TryCall;
  readonly door: Door;
  readonly now: Date;
}

const LABELS: Record<HomeSectionId, string> = {
  unauthorised: "Unauthorised releases",
  failedReleases: "Failed releases",
  approvals: "Approvals awaiting me",
  overdueReviews: "Overdue emergency reviews",
  rescheduling: "Needs re-scheduling (window passed)",
  conflicts: "Conflicts in the next 72 hours",
  failedGates: "Failed validations",
  drift: "Cluster drift",
  outbox: "GitOps outbox not pushed",
};

function section(id: HomeSectionId, items: readonly HomeItem[]): HomeSection {
  return { id, label: LABELS[id], state: "ok", message: null, items };
}

// A capability that is not built, not set up or refuses for want of identity is "not configured", with the
// reason; anything else is an error the user should see.
function unavailable(id: HomeSectionId, error: AppErrorData): HomeSection {
  const notConfigured = ["unknown-method", "unauthorised", "not-found", "unavailable", "calendar-invalid"].includes(
    error.code,
  );
  return {
    id,
    label: LABELS[id],
    state: notConfigured ? "not-configured" : "error",
    message: error.code === "unknown-method" ? "Not configured in this version." : error.message,
    items: [],
  };
}

function unwrap<T>(id: HomeSectionId, result: Attempted<T>, build: (value: T) => HomeItem[]): HomeSection {
  if (!result.ok) return unavailable(id, result.error);
  return section(id, build(result.value));
}

function label(c: ChangeSummary): string {
  return c.number ? `${c.number} ${c.title}` : c.title;
}

/**
 * Releases that went out without the approvals their policy needs, or drifting from what was approved: each stays
 * here until someone rolls it back or records it failed. The detail is the evidence of the automatic move.
 */
export async function unauthorisedSection(env: SectionEnv): Promise<HomeSection> {
  const list = await env.attempt(
    "change.list",
    { status: ["unauthorised"], sort: { field: "updatedAt", dir: "desc" }, pageSize: 200 },
    env.door,
  );
  if (!list.ok) return unavailable("unauthorised", list.error);
  const items: HomeItem[] = [];
  for (const c of list.value.items) {
    const move = await lastMove(env, c);
    items.push({
      key: `unauthorised:${c.id}`,
      section: "unauthorised",
      title: label(c),
      detail: move?.reason ?? "Released without the approvals its policy needs. Roll it back, or record it failed.",
      severity: "critical",
      route: `#/register/${c.id}`,
      changeId: c.id,
      at: move?.at ?? c.updatedAt,
    });
  }
  return section("unauthorised", items);
}

/** The change's latest lifecycle move, with the evidence an automatic step gave for it. */
async function lastMove(env: SectionEnv, c: ChangeSummary): Promise<AuditEvent | undefined> {
  const audit = await env.attempt("audit.list", { entityId: c.id, pageSize: 500 }, env.door);
  return audit.ok ? audit.value.items.findLast((e) => e.action === "change.transition") : undefined;
}

/**
 * Releases post-release validation marked failed (the cluster or the environment's Odoo disagreed): each stays here
 * until it is rolled back to its checkpoint (the change page offers it) or closed otherwise.
 */
export async function failedReleasesSection(env: SectionEnv): Promise<HomeSection> {
  const list = await env.attempt(
    "change.list",
    { status: ["failed"], sort: { field: "updatedAt", dir: "desc" }, pageSize: 200 },
    env.door,
  );
  if (!list.ok) return unavailable("failedReleases", list.error);
  const items: HomeItem[] = [];
  for (const c of list.value.items) {
    const move = await lastMove(env, c);
    // A person recording a change failed has already seen it; only validation's own verdict needs someone now.
    if (move?.actor !== "system:cluster") continue;
    items.push({
      key: `failed-release:${c.id}`,
      section: "failedReleases",
      title: label(c),
      detail: `${move.reason ?? "Post-release validation failed."} Roll it back to its checkpoint from the change page.`,
      severity: "critical",
      route: `#/register/${c.id}`,
      changeId: c.id,
      at: move.at,
    });
  }
  return section("failedReleases", items);
}

export async function approvalsSection(env: SectionEnv): Promise<HomeSection> {
  const result = await env.attempt("approval.inbox", {}, env.door);
  return unwrap("approvals", result, (inbox) =>
    inbox.map((i) => ({
      key: `approval:${i.change.id}:${i.change.version}`,
      section: "approvals",
      title: label(i.change),
      detail: `${i.scopes.join(" + ")} · ${i.quorumSummary}`,
      severity: i.change.risk === "high" || i.change.type === "emergency" ? "critical" : "warning",
      route: `#/approvals?change=${i.change.id}`,
      changeId: i.change.id,
      at: i.change.window?.start ?? null,
    })),
  );
}

export async function overdueSection(env: SectionEnv): Promise<HomeSection> {
  const result = await env.attempt("exception.overdue", {}, env.door);
  return unwrap("overdueReviews", result, (list) =>
    list.map((r) => ({
      key: `overdue:${r.changeId}`,
      section: "overdueReviews",
      title: r.title,
      detail: `${r.incident} · review ${Math.round(r.hoursOverdue)} h overdue`,
      severity: "critical",
      route: `#/exceptions?change=${r.changeId}`,
      changeId: r.changeId,
      at: r.reviewDueAt,
    })),
  );
}

/** Changes whose window ended before their work started: each needs a new window before it may be released. */
export async function reschedulingSection(env: SectionEnv): Promise<HomeSection> {
  const result = await env.attempt(
    "change.list",
    {
      status: [...BEFORE_WORK],
      windowTo: env.now.toISOString(),
      sort: { field: "windowStart", dir: "asc" },
      pageSize: 200,
    },
    env.door,
  );
  // The end reads on the first plant's clocks with its zone, as every screen shows a window.
  const plants = await env.attempt("plant.list", {}, env.door);
  const zones = new Map(plants.ok ? plants.value.map((p) => [p.id, p.timeZone]) : []);
  return unwrap("rescheduling", result, (page) =>
    page.items.flatMap((c) =>
      c.windowPassed && c.window
        ? [
            {
              key: `rescheduling:${c.id}:${c.window.end}`,
              section: "rescheduling" as const,
              title: label(c),
              detail: `${c.status}; its window ended ${formatZonedInstant(c.window.end, zones.get(c.plants[0] ?? "") ?? "UTC")}: pick a new window before it is released`,
              severity:
                c.status === "approved" || c.status === "scheduled" ? ("critical" as const) : ("warning" as const),
              route: `#/register/${c.id}`,
              changeId: c.id,
              at: c.window.end,
            },
          ]
        : [],
    ),
  );
}

async function upcoming(env: SectionEnv, hours: number): Promise<ChangeSummary[] | AppErrorData> {
  const to = new Date(env.now.getTime() + hours * HOUR);
  const result = await env.attempt(
    "change.list",
    {
      status: ["awaiting-approval", "approved", "scheduled", "implementing"],
      windowFrom: env.now.toISOString(),
      windowTo: to.toISOString(),
      sort: { field: "windowStart", dir: "asc" },
      pageSize: 200,
    },
    env.door,
  );
  if (!result.ok) return result.error;
  return [...result.value.items];
}

export async function conflictsSection(env: SectionEnv): Promise<HomeSection> {
  const changes = await upcoming(env, 72);
  if (!Array.isArray(changes)) return unavailable("conflicts", changes);
  const plants = await env.attempt("plant.list", {}, env.door);
  if (!plants.ok) return unavailable("conflicts", plants.error);
  if (plants.value.length === 0) {
    return unavailable("conflicts", { code: "unavailable", message: "No plant calendars imported yet." });
  }
  const items: HomeItem[] = [];
  for (const c of changes) {
    if (!c.window) continue;
    const others = changes
      .filter((o) => o.id !== c.id && o.window)
      .map((o) => ({ id: o.id, plants: [...o.plants], start: o.window?.start ?? "", end: o.window?.end ?? "" }));
    const result = await env.attempt(
      "calendar.check",
      {
        id: c.id,
        plants: [...c.plants],
        area: c.area,
        environment: c.environment,
        start: c.window.start,
        end: c.window.end,
        changes: others,
      },
      env.door,
    );
    if (!result.ok) continue;
    const check = result.value;
    if (check.conflicts.length === 0) continue;
    const kinds = [...new Set(check.conflicts.map((k) => k.kind))].join(", ");
    items.push({
      key: `conflict:${c.id}:${c.window.start}`,
      section: "conflicts",
      title: label(c),
      detail: `${check.conflicts.length} conflict${check.conflicts.length === 1 ? "" : "s"}: ${kinds}`,
      severity: c.status === "awaiting-approval" ? "warning" : "critical",
      route: `#/calendar?change=${c.id}`,
      changeId: c.id,
      at: c.window.start,
    });
  }
  return section("conflicts", items);
}

export async function failedGatesSection(env: SectionEnv): Promise<HomeSection> {
  const list = await env.attempt(
    "change.list",
    {
      status: [
        "submitted",
        "assessed",
        "awaiting-approval",
        "approved",
        "scheduled",
        "implementing",
        "validating",
        "failed",
      ],
      sort: { field: "updatedAt", dir: "desc" },
      pageSize: 200,
    },
    env.door,
  );
  if (!list.ok) return unavailable("failedGates", list.error);
  const items: HomeItem[] = [];
  for (const c of list.value.items) {
    const detail = await env.attempt("change.get", { id: c.id }, env.door);
    if (!detail.ok) continue;
    const gates = detail.value.gates;
    // The latest record per (stage, gate, target) is the gate's result; only a current failure needs someone.
    const latest = new Map<string, (typeof gates)[number]>();
    for (const g of gates) latest.set(`${g.stage}/${g.gate}/${g.target ?? ""}`, g);
    for (const g of latest.values()) {
      if (g.result !== "fail") continue;
      items.push({
        key: `gate:${g.id}`,
        section: "failedGates",
        title: label(c),
        detail: `${g.gate}${g.target ? ` (${g.target})` : ""} failed in ${g.stage}${g.reason ? `: ${g.reason}` : ""}`,
        severity: "critical",
        route: `#/register/${c.id}`,
        changeId: c.id,
        at: g.recordedAt,
      });
    }
  }
  return section("failedGates", items);
}

export async function driftSection(env: SectionEnv): Promise<HomeSection> {
  const result = await env.attempt("cluster.environments", {}, env.door);
  if (result.ok && !result.value.configured) {
    return unavailable("drift", { code: "unavailable", message: "No cluster configured." });
  }
  // An environment that cannot be read is not judged: "nothing needs you" would claim it has no drift.
  const unread = result.ok ? result.value.environments.filter((e) => e.state === "error") : [];
  const found = result.ok && result.value.environments.some((e) => e.drift.length > 0);
  if (unread.length > 0 && !found) {
    const names = unread.map((e) => e.name).join(", ");
    return {
      ...section("drift", []),
      state: "error",
      message: `Drift not judged: cannot read ${names} (${unread[0]?.errors[0]?.message ?? "no answer"}).`,
    };
  }
  return unwrap("drift", result, (view) =>
    view.environments.flatMap((e) =>
      e.drift.map((d) => ({
        key: `drift:${d.environment}:${d.namespace}:${d.name}:${d.running}`,
        section: "drift" as const,
        title: `${d.environment}: ${d.namespace}/${d.name}`,
        detail: d.message,
        severity: d.environment === "production" ? ("critical" as const) : ("warning" as const),
        route: `#/cluster?environment=${d.environment}`,
        changeId: null,
        at: e.checkedAt,
      })),
    ),
  );
}

/** The GitOps outbox: commits made locally and not yet pushed. Reads `gitops.outbox` once that capability offers it. */
export async function outboxSection(env: SectionEnv): Promise<HomeSection> {
  const status = await env.attempt("app.status", {}, env.door);
  if (status.ok && !status.value.gitops.configured) {
    return unavailable("outbox", { code: "unavailable", message: "No GitOps repository configured." });
  }
  const result = await env.attempt("gitops.outbox", {}, env.door);
  if (!result.ok && result.error.code === "unknown-method") {
    return unavailable("outbox", { code: "unavailable", message: "This version cannot list unpushed commits yet." });
  }
  return unwrap("outbox", result, (value) =>
    value.items.map((i, n) => ({
      key: `outbox:${i.sha ?? n}`,
      section: "outbox",
      title: i.subject || "Unpushed commit",
      detail: i.sha ? `commit ${i.sha.slice(0, 10)} not pushed` : "not pushed",
      severity: "warning",
      route: "#/gitops",
      changeId: i.changeId ?? null,
      at: null,
    })),
  );
}
